#pragma once
// What a user gives CAISeg for one patch: foreground and background points (any number, possibly
// none) and the voxel spacing. Torch-free, so the engine and the training click simulation can build
// prompts without the network's headers.
//
// Points are in voxels of the patch the network sees, in tensor index order: z is the depth (slice)
// index, y the row, x the column. A voxel's centre is at its integer index; sub-voxel values are
// allowed.

#include <cstddef>
#include <vector>

namespace medclick {

struct VoxelPoint {
  double z = 0.0, y = 0.0, x = 0.0;
};

struct VoxelSpacing { // millimetres between voxel centres along z (slices), y (rows), x (columns)
  double z = 1.0, y = 1.0, x = 1.0;
};

struct CaisegPrompt {
  std::vector<VoxelPoint> foreground; // inside the lesion
  std::vector<VoxelPoint> background; // outside it
  VoxelSpacing spacing;

  std::size_t size() const { return foreground.size() + background.size(); }
};

} // namespace medclick
