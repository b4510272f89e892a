#pragma once
// A box of voxel indices, half-open on each axis ([begin, end) along i, j, k, ITK's buffer order):
// the region an operation changed. Engines return it, the undo history stores only what lies in it,
// and the views redraw only it. Torch-free; a 2D image is one voxel deep (k in [0, 1)).

#include <algorithm>
#include <array>
#include <cstddef>

namespace medclick {

struct VoxelBox {
  std::array<std::size_t, 3> begin{0, 0, 0};
  std::array<std::size_t, 3> end{0, 0, 0};

  static VoxelBox whole(const std::array<std::size_t, 3>& size) { return {{0, 0, 0}, size}; }

  bool empty() const { return end[0] <= begin[0] || end[1] <= begin[1] || end[2] <= begin[2]; }
  std::size_t extent(int axis) const { return end[axis] > begin[axis] ? end[axis] - begin[axis] : 0; }
  std::size_t voxelCount() const { return extent(0) * extent(1) * extent(2); }
  bool contains(std::size_t i, std::size_t j, std::size_t k) const {
    return i >= begin[0] && i < end[0] && j >= begin[1] && j < end[1] && k >= begin[2] && k < end[2];
  }
  // The smallest box holding both (an empty box adds nothing).
  VoxelBox united(const VoxelBox& other) const {
    if (empty()) return other;
    if (other.empty()) return *this;
    VoxelBox box;
    for (int a = 0; a < 3; ++a) {
      box.begin[a] = std::min(begin[a], other.begin[a]);
      box.end[a] = std::max(end[a], other.end[a]);
    }
    return box;
  }
  bool operator==(const VoxelBox& o) const { return (empty() && o.empty()) || (begin == o.begin && end == o.end); }
  bool operator!=(const VoxelBox& o) const { return !(*this == o); }
};

} // namespace medclick
