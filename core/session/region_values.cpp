#include "session/region_values.h"

#include <cstdint>
#include <stdexcept>

namespace medclick {

namespace {

void requireInside(const std::array<std::size_t, 3>& size, const VoxelBox& box) {
  for (int a = 0; a < 3; ++a)
    if (box.end[a] > size[a]) throw std::out_of_range("voxel box outside the grid");
}

std::size_t offsetOf(const std::array<std::size_t, 3>& size, std::size_t i, std::size_t j, std::size_t k) {
  return (k * size[1] + j) * size[0] + i;
}

} // namespace

template <typename T>
std::vector<T> copyRegion(const std::vector<T>& grid, const std::array<std::size_t, 3>& size, const VoxelBox& box) {
  std::vector<T> values;
  if (box.empty()) return values;
  requireInside(size, box);
  values.reserve(box.voxelCount());
  for (std::size_t k = box.begin[2]; k < box.end[2]; ++k)
    for (std::size_t j = box.begin[1]; j < box.end[1]; ++j) {
      const T* row = grid.data() + offsetOf(size, box.begin[0], j, k);
      values.insert(values.end(), row, row + box.extent(0));
    }
  return values;
}

template <typename T>
void pasteRegion(std::vector<T>& grid, const std::array<std::size_t, 3>& size, const VoxelBox& box, const std::vector<T>& values) {
  if (box.empty()) return;
  requireInside(size, box);
  if (values.size() != box.voxelCount()) throw std::invalid_argument("region values do not fill their box");
  const T* source = values.data();
  for (std::size_t k = box.begin[2]; k < box.end[2]; ++k)
    for (std::size_t j = box.begin[1]; j < box.end[1]; ++j, source += box.extent(0))
      std::copy(source, source + box.extent(0), grid.data() + offsetOf(size, box.begin[0], j, k));
}

VoxelBox sliceBox(const ImageGeometry& geometry, const SliceRef& slice) {
  if (!sliceExists(geometry, slice)) throw std::out_of_range("no such slice");
  VoxelBox box = VoxelBox::whole(geometry.size);
  const int axis = static_cast<int>(slice.axis);
  box.begin[axis] = slice.index;
  box.end[axis] = slice.index + 1;
  return box;
}

template std::vector<float> copyRegion(const std::vector<float>&, const std::array<std::size_t, 3>&, const VoxelBox&);
template std::vector<std::uint8_t> copyRegion(const std::vector<std::uint8_t>&, const std::array<std::size_t, 3>&, const VoxelBox&);
template void pasteRegion(std::vector<float>&, const std::array<std::size_t, 3>&, const VoxelBox&, const std::vector<float>&);
template void pasteRegion(std::vector<std::uint8_t>&, const std::array<std::size_t, 3>&, const VoxelBox&,
                          const std::vector<std::uint8_t>&);
template std::vector<std::uint16_t> copyRegion(const std::vector<std::uint16_t>&, const std::array<std::size_t, 3>&, const VoxelBox&);
template void pasteRegion(std::vector<std::uint16_t>&, const std::array<std::size_t, 3>&, const VoxelBox&, const std::vector<std::uint16_t>&);

} // namespace medclick
