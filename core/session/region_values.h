#pragma once
// The values of a voxel box, copied out of a whole-grid buffer or back into it: what lets a session keep only the changed region of an operation (undo steps,
// snapshots) instead of whole volumes.

#include "engine/voxel_box.h"
#include "session/slice_access.h"

#include <array>
#include <cstddef>
#include <vector>

namespace medclick {

// The box's values, i fastest, then j, then k. Throws std::out_of_range for a box outside the grid.
template <typename T>
std::vector<T> copyRegion(const std::vector<T>& grid, const std::array<std::size_t, 3>& size, const VoxelBox& box);
// Writes copyRegion's values back; `values` must hold box.voxelCount() values.
template <typename T>
void pasteRegion(std::vector<T>& grid, const std::array<std::size_t, 3>& size, const VoxelBox& box, const std::vector<T>& values);

// The one-voxel-thick box of a slice. Its values in copyRegion's order are the slice's pixels in
// extractSlice's order (column fastest), so a slice's probability is a region's values as it is.
VoxelBox sliceBox(const ImageGeometry& geometry, const SliceRef& slice);

} // namespace medclick
