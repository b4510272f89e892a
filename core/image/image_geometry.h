#pragma once
// The physical grid of an image: how voxel indices map to millimetres (ITK/LPS convention).
// 2D images are stored with dimension 2 and size[2] == 1, so one type serves both.

#include <array>
#include <cstddef>
#include <string>

namespace medclick {

struct ImageGeometry {
  unsigned dimension = 3;                       // 2 or 3
  std::array<std::size_t, 3> size{1, 1, 1};     // voxels along i, j, k
  std::array<double, 3> spacing{1.0, 1.0, 1.0}; // mm between voxel centres
  std::array<double, 3> origin{0.0, 0.0, 0.0};  // physical position of voxel (0,0,0)
  std::array<double, 9> direction{1, 0, 0, 0, 1, 0, 0, 0, 1}; // row-major; column c is axis c's direction

  std::size_t voxelCount() const { return size[0] * size[1] * size[2]; }
  // A volume in the viewer's sense: 3D with more than one slice (a single-slice 3D file is a plane).
  bool hasDepth() const { return dimension == 3 && size[2] > 1; }

  // Physical point (mm) of a continuous index: origin + direction * diag(spacing) * index.
  std::array<double, 3> indexToPhysical(const std::array<double, 3>& index) const;
  std::array<double, 3> physicalToIndex(const std::array<double, 3>& point) const;

  // Same voxel grid within a tolerance relative to the spacing (ITK's default is 1e-6 of the spacing).
  bool sameGridAs(const ImageGeometry& other, double tolerance = 1e-5) const;

  // One line, e.g. "3D 240x240x155 spacing 1x1x1 origin (0,-239,0) direction [1 0 0; 0 1 0; 0 0 1]".
  std::string describe() const;
};

} // namespace medclick
