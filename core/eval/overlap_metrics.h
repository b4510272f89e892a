#pragma once
// How well an automatic (clickless) mask matches the reference on the same grid: Dice, IoU and the
// 95th-percentile Hausdorff distance in millimetres, 2D or 3D, honouring the spacing.
//
// HD95 is medpy's `hd95`: the surface voxels of each mask are its voxels with a face neighbour outside
// it (the image border counts as outside, as scipy's binary_erosion with border_value 0); each surface
// voxel's Euclidean distance (mm) to the nearest surface voxel of the other mask is taken, both
// directions are pooled, and the 95th percentile is linearly interpolated (numpy's default). MONAI's
// compute_hausdorff_distance(percentile=95) instead takes the larger of the two directed percentiles.
//
// Empty masks: both empty is a perfect match (Dice 1, IoU 1, HD95 0); one empty is a complete miss
// (Dice 0, IoU 0) with no surface to measure to, so HD95 is +infinity (JSON writes it as null).

#include "image/label_mask.h"

namespace medclick {

struct OverlapMetrics {
  double dice = 0;
  double iou = 0;
  double hd95Millimetres = 0; // +infinity when exactly one mask is empty
};

// Voxels with a non-zero label are object. Throws ImageIOError (both geometries in the message) when
// the masks lie on different grids.
OverlapMetrics overlapMetrics(const LabelMask& prediction, const LabelMask& reference);

} // namespace medclick
