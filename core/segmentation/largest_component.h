#pragma once
// Post-processing of an automatic mask: keep only its largest connected object, as nnU-Net does when
// its validation says so ("remove all but the largest component"). A slice-by-slice segmenter makes
// small false alarms that a 3D view shows at once (KANU-Net on the held-out BraTS volume: 1,130
// components, the tumour 213,112 voxels, the next 8,896); dropping them raised whole-tumour Dice from
// 0.793 to 0.853 there.
//
// Components are face-connected (segmentation/connected_components.h).

#include "image/image_geometry.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace medclick {

struct LargestComponent {
  std::vector<std::uint8_t> voxels; // 0/1 over the whole grid: the largest object alone
  std::size_t size = 0;             // its voxel count (0 when the mask is empty)
  int components = 0;               // how many objects the mask has
};

// mask: one value per voxel of `geometry` (ITK's order), non-zero = object. On a tie the object
// ITK labels first (the first in buffer order) wins.
LargestComponent largestComponent(const std::vector<std::uint8_t>& mask, const ImageGeometry& geometry);

// probability: one value per voxel of `geometry` (ITK's order). Voxels above `threshold` outside the
// largest component are set to 0; everything else is left as it is. Returns the number of components
// there were (0 when nothing is above the threshold).
int keepLargestComponent(std::vector<float>& probability, const ImageGeometry& geometry, double threshold);

} // namespace medclick
