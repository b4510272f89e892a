#pragma once
// CAISeg's simulated user (§III-F, §IV-B2), on one volume (or patch) at a time:
//   round one   1–10 foreground points drawn uniformly from the lesion after a morphological
//               erosion (users rarely click on an ambiguous edge first), and 0–20 background points
//               drawn uniformly from a band outside the lesion boundary;
//   later       the difference between the previous round's mask and the ground truth is split into
//               connected regions (false negatives → foreground points, false positives →
//               background points); every region larger than 10 % of the lesion volume gets one
//               point drawn uniformly from it;
//   validation  no point in round one; afterwards one point in the largest error region only.
// Connectivity is 3D 6-connectivity (faces only): two error voxels that touch at an edge or a
// corner are separate regions, the stricter reading, so a thin diagonal chain of errors is not
// counted as one big region.
// The erosion and the band are boxes in millimetres (±r mm per axis, r rounded down to whole voxels),
// so a 6.5 mm slice axis is not eroded as deeply, in voxels, as a 0.78 mm in-plane one. A lesion that
// the erosion removes entirely is sampled un-eroded (a lesion thinner than the erosion still gets its
// clicks).

#include "inference/caiseg/caiseg_prompt.h"

#include <torch/torch.h>

#include <optional>
#include <random>
#include <vector>

namespace medclick {

struct CaisegClickOptions {
  int minForeground = 1, maxForeground = 10;   // round one (§IV-B2)
  int minBackground = 0, maxBackground = 20;
  double erosionMillimetres = 3.0;             // §III-F does not give the erosion; a few voxels at 1–1.5 mm
  double bandMillimetres = 10.0;               // "within a certain range outside the target boundary"
  double componentFraction = 0.10;             // later rounds: regions larger than this share of the lesion volume
  int maxPointsPerRound = 20;                  // not in the paper: a guard for patches without lesion, where every
                                               // false-positive speck exceeds 10 % of nothing (largest regions first)
};

// Labels of the 6-connected components of a [D, H, W] bool tensor: int32, 0 = outside, 1..n in
// order of first voxel (z, then y, then x); sizes[i] is the voxel count of label i + 1.
struct Components {
  torch::Tensor labels;
  std::vector<int64_t> sizes;
};
Components connectedComponents(const torch::Tensor& mask);

// Box erosion / dilation of a [D, H, W] bool tensor by ±r voxels per axis, r = floor(mm / spacing).
// Voxels outside the volume count as background for the erosion.
torch::Tensor erodeMillimetres(const torch::Tensor& mask, const VoxelSpacing& spacing, double millimetres);
torch::Tensor dilateMillimetres(const torch::Tensor& mask, const VoxelSpacing& spacing, double millimetres);

// Round one. lesion: [D, H, W] bool (CPU). An empty lesion gets no foreground point (background
// points are then drawn from the whole volume's band, i.e. nowhere: none).
CaisegPrompt firstRoundPrompt(const torch::Tensor& lesion, const VoxelSpacing& spacing, const CaisegClickOptions& options,
                              std::mt19937_64& random);

// Later rounds: appends one point per error region larger than componentFraction × lesion voxels
// (an empty lesion: every error region), at most maxPointsPerRound of the largest, to the prompt;
// returns how many were added.
int addErrorRegionPoints(CaisegPrompt& prompt, const torch::Tensor& prediction, const torch::Tensor& lesion,
                         const CaisegClickOptions& options, std::mt19937_64& random);

// Validation: the point of the largest error region (its voxel nearest the region's centroid in
// millimetres, so deterministic) and whether it is foreground; nullopt when there is no error.
struct SimulatedPoint {
  VoxelPoint point;
  bool foreground = true;
};
std::optional<SimulatedPoint> largestErrorRegionPoint(const torch::Tensor& prediction, const torch::Tensor& lesion,
                                                      const VoxelSpacing& spacing);

} // namespace medclick
