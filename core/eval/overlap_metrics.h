#pragma once
// How well a mask matches the reference on the same grid: Dice, IoU (Jaccard), precision, recall, the
// 95th-percentile Hausdorff distance and the average symmetric surface distance in millimetres, 2D
// or 3D, honouring the spacing.
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
  double iou = 0;             // Jaccard
  double hd95Millimetres = 0; // +infinity when exactly one mask is empty
  double assdMillimetres = 0; // medpy's assd: the mean of the two directed mean surface distances; +infinity as HD95
  double precision = 0;       // |P ∧ R| / |P| (1 when nothing is predicted and nothing expected, 0 when only R is non-empty)
  double recall = 0;          // |P ∧ R| / |R| (1 when R is empty and nothing is predicted)
};

// Voxels with a non-zero label are object. Throws ImageIOError (both geometries in the message) when
// the masks lie on different grids.
OverlapMetrics overlapMetrics(const LabelMask& prediction, const LabelMask& reference);

} // namespace medclick
