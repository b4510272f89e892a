#pragma once
// Face-connected objects of a 0/1 mask (ITK's ConnectedComponentImageFilter, not fully connected: 6
// neighbours in 3D, 4 in 2D, as scipy.ndimage.label's default). The one labelling that core's mask
// post-processing (largest object) and the 3D clicker share; clicked_objects.h grows the same objects
// from its clicks instead.

#include "image/image_geometry.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace medclick {

struct ComponentLabels {
  std::vector<std::uint32_t> labels; // per voxel (ITK's order): 0 background, 1..count the objects
  int count = 0;
};

// mask: one value per voxel of `geometry`, non-zero = object. An empty mask gets count 0 and all-zero
// labels without running ITK. Throws std::invalid_argument when the sizes differ.
ComponentLabels labelComponents(const std::vector<std::uint8_t>& mask, const ImageGeometry& geometry);

} // namespace medclick
