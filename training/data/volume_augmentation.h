#pragma once
// CAISeg §IV-A's augmentation of a 3D training patch, each transform with probability 0.5 (as the
// paper's TorchIO pipeline): random flips, Gaussian noise, an affine transform (scaling 0.9–1.1 and
// rotation ±10° about each axis, in millimetres, so an anisotropic grid is rotated as the anatomy
// is) and an MRI bias field (TorchIO's RandomBiasField: exp of a random polynomial of order 3 in the
// normalised coordinates, coefficients in ±0.5). Geometric transforms move image and mask together:
// trilinear for the image, nearest for the mask (grid_sample), zeros outside. Intensity transforms
// touch only the image. Runs before the z-score normalisation, as in the paper.
// Beyond the paper (issue 24: seven training volumes are few): an elastic deformation as TorchIO's
// RandomElasticDeformation, random displacements of a coarse grid of control points (7 per axis, up
// to 7.5 mm, the outer control points fixed), interpolated to every voxel; TorchIO interpolates with a
// cubic B-spline, here trilinearly (torch has no 3D cubic interpolation), a less smooth field.

#include "inference/caiseg/caiseg_prompt.h"

#include <torch/torch.h>

#include <random>

namespace medclick {

struct VolumeAugmentationOptions {
  double flipProbability = 0.5;   // then each axis is flipped with probability 0.5
  double noiseProbability = 0.5;
  double noiseStdMax = 0.1;       // of the image's standard deviation: std ~ U(0, this)
  double affineProbability = 0.5;
  double minScale = 0.9, maxScale = 1.1;
  double maxRotationDegrees = 10.0;
  double biasFieldProbability = 0.5; // 0 for CT (the paper's other data sets)
  int biasFieldOrder = 3;
  double biasFieldCoefficient = 0.5;
  double elasticProbability = 0.3;
  int elasticControlPoints = 7;          // per axis, the outer ones fixed
  double elasticMaxDisplacementMm = 7.5; // per axis, of each inner control point
};

struct AugmentedVolume {
  torch::Tensor image; // [D, H, W] float
  torch::Tensor mask;  // [D, H, W] uint8 0/1
};

AugmentedVolume augmentVolume(const torch::Tensor& image, const torch::Tensor& mask, const VoxelSpacing& spacing,
                              const VolumeAugmentationOptions& options, std::mt19937_64& random);

// The affine part alone (for tests and reuse): out(p) = in(A p) about the volume's centre, with
// A = rotation (degrees about z, y, x) × 1/scale per axis, in millimetres.
AugmentedVolume affineTransformVolume(const torch::Tensor& image, const torch::Tensor& mask, const VoxelSpacing& spacing,
                                      const std::array<double, 3>& rotationDegreesZyx, const std::array<double, 3>& scaleZyx);

// The elastic part alone: each inner control point of a controlPoints³ grid spanning the volume moves by
// U(−maxDisplacementMm, +maxDisplacementMm) along each axis; the field is trilinear between them, so the
// volume's faces do not move. out(p) = in(p + u(p)).
AugmentedVolume elasticDeformVolume(const torch::Tensor& image, const torch::Tensor& mask, const VoxelSpacing& spacing, int controlPoints,
                                    double maxDisplacementMm, std::mt19937_64& random);

// TorchIO's bias field: exp(Σ_{i+j+k ≤ order} c_ijk z^i y^j x^k) on [-1, 1]³, [D, H, W].
torch::Tensor biasField(const std::vector<int64_t>& size, int order, double coefficientRange, std::mt19937_64& random);

} // namespace medclick
