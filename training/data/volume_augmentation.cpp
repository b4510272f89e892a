#include "training/data/volume_augmentation.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace medclick {

namespace F = torch::nn::functional;

namespace {

constexpr double kPi = 3.14159265358979323846;

bool chance(double probability, std::mt19937_64& random) { return std::uniform_real_distribution<double>(0, 1)(random) < probability; }

double uniform(double low, double high, std::mt19937_64& random) { return std::uniform_real_distribution<double>(low, high)(random); }

// 3×3 rotations in (x, y, z) order, the order of affine_grid's coordinates.
torch::Tensor rotationAbout(int axis, double degrees) {
  const double a = degrees * kPi / 180.0, c = std::cos(a), s = std::sin(a);
  auto r = torch::eye(3, torch::kFloat64);
  const int i = (axis + 1) % 3, j = (axis + 2) % 3;
  r[i][i] = c;
  r[i][j] = -s;
  r[j][i] = s;
  r[j][j] = c;
  return r;
}

// image trilinear and mask nearest at grid [1, D, H, W, 3] (x, y, z normalised, align_corners false), zeros outside.
AugmentedVolume resampleVolume(const torch::Tensor& image, const torch::Tensor& mask, const torch::Tensor& grid) {
  const int64_t D = image.size(0), H = image.size(1), W = image.size(2);
  AugmentedVolume out;
  out.image = F::grid_sample(image.to(torch::kFloat32).view({1, 1, D, H, W}), grid,
                             F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(false))
                  .view({D, H, W});
  out.mask = F::grid_sample(mask.to(torch::kFloat32).view({1, 1, D, H, W}), grid,
                            F::GridSampleFuncOptions().mode(torch::kNearest).padding_mode(torch::kZeros).align_corners(false))
                 .view({D, H, W})
                 .round()
                 .to(torch::kUInt8);
  return out;
}

} // namespace

AugmentedVolume affineTransformVolume(const torch::Tensor& image, const torch::Tensor& mask, const VoxelSpacing& spacing,
                                      const std::array<double, 3>& rotationDegreesZyx, const std::array<double, 3>& scaleZyx) {
  if (image.dim() != 3 || mask.sizes() != image.sizes()) throw std::invalid_argument("affineTransformVolume: expected two [D, H, W] volumes");
  const int64_t D = image.size(0), H = image.size(1), W = image.size(2);
  // Normalised grid coordinates (align_corners = false) to millimetres about the centre: E.
  const auto halfExtent = torch::diag(torch::tensor({W * spacing.x / 2.0, H * spacing.y / 2.0, D * spacing.z / 2.0}, torch::kFloat64));
  const auto rotation = rotationAbout(2, rotationDegreesZyx[0]).matmul(rotationAbout(1, rotationDegreesZyx[1]))
                            .matmul(rotationAbout(0, rotationDegreesZyx[2]));
  const auto inverseScale = torch::diag(torch::tensor({1.0 / scaleZyx[2], 1.0 / scaleZyx[1], 1.0 / scaleZyx[0]}, torch::kFloat64));
  // The output voxel at millimetre p samples the input at A p; in normalised coordinates E⁻¹ A E.
  const auto theta = torch::linalg_inv(halfExtent).matmul(rotation.matmul(inverseScale)).matmul(halfExtent);
  const auto affine = torch::cat({theta, torch::zeros({3, 1}, torch::kFloat64)}, 1).to(torch::kFloat32).unsqueeze(0).to(image.device());
  return resampleVolume(image, mask, F::affine_grid(affine, {1, 1, D, H, W}, false));
}

AugmentedVolume elasticDeformVolume(const torch::Tensor& image, const torch::Tensor& mask, const VoxelSpacing& spacing, int controlPoints,
                                    double maxDisplacementMm, std::mt19937_64& random) {
  if (image.dim() != 3 || mask.sizes() != image.sizes()) throw std::invalid_argument("elasticDeformVolume: expected two [D, H, W] volumes");
  if (controlPoints < 3) throw std::invalid_argument("elasticDeformVolume: at least 3 control points per axis");
  const int64_t D = image.size(0), H = image.size(1), W = image.size(2);
  // Displacements in millimetres of the control points, [3 (x, y, z), c, c, c]; the outer layer stays.
  // Along a short axis (a thin patch) a control point moves at most 0.4 of the control spacing, so the
  // field cannot fold (TorchIO warns beyond half of it).
  const std::array<double, 3> extentMm{W * spacing.x, H * spacing.y, D * spacing.z};
  auto control = torch::zeros({3, controlPoints, controlPoints, controlPoints}, torch::kFloat32);
  auto a = control.accessor<float, 4>();
  for (int axis = 0; axis < 3; ++axis) {
    const double limit = std::min(maxDisplacementMm, 0.4 * extentMm[static_cast<size_t>(axis)] / (controlPoints - 1));
    for (int k = 1; k + 1 < controlPoints; ++k)
      for (int j = 1; j + 1 < controlPoints; ++j)
        for (int i = 1; i + 1 < controlPoints; ++i) a[axis][k][j][i] = static_cast<float>(uniform(-limit, limit, random));
  }
  // Millimetres to normalised coordinates: the volume spans 2 units over W·sx (x), H·sy, D·sz mm.
  const auto toNormalised = torch::tensor({2.0 / extentMm[0], 2.0 / extentMm[1], 2.0 / extentMm[2]}, torch::kFloat32).view({3, 1, 1, 1});
  // Control points at the first and last voxel centres (align_corners true) and evenly between.
  const auto field = F::interpolate((control * toNormalised).unsqueeze(0),
                                    F::InterpolateFuncOptions().size(std::vector<int64_t>{D, H, W}).mode(torch::kTrilinear).align_corners(true));
  const auto identity = torch::cat({torch::eye(3, torch::kFloat32), torch::zeros({3, 1}, torch::kFloat32)}, 1).unsqueeze(0);
  const auto grid = F::affine_grid(identity, {1, 1, D, H, W}, false) + field.permute({0, 2, 3, 4, 1});
  return resampleVolume(image, mask, grid.to(image.device()));
}

torch::Tensor biasField(const std::vector<int64_t>& size, int order, double coefficientRange, std::mt19937_64& random) {
  const auto axis = [&](int64_t n) { return torch::linspace(-1.0, 1.0, n, torch::kFloat32); };
  const auto z = axis(size[0]).view({-1, 1, 1}), y = axis(size[1]).view({1, -1, 1}), x = axis(size[2]).view({1, 1, -1});
  auto logField = torch::zeros(size, torch::kFloat32);
  for (int i = 0; i <= order; ++i)
    for (int j = 0; i + j <= order; ++j)
      for (int k = 0; i + j + k <= order; ++k)
        logField = logField + uniform(-coefficientRange, coefficientRange, random) * z.pow(i) * y.pow(j) * x.pow(k);
  return logField.exp();
}

AugmentedVolume augmentVolume(const torch::Tensor& image, const torch::Tensor& mask, const VoxelSpacing& spacing,
                              const VolumeAugmentationOptions& o, std::mt19937_64& random) {
  AugmentedVolume out{image.to(torch::kFloat32), mask.to(torch::kUInt8)};
  if (chance(o.affineProbability, random)) {
    const std::array<double, 3> rotation{uniform(-o.maxRotationDegrees, o.maxRotationDegrees, random),
                                         uniform(-o.maxRotationDegrees, o.maxRotationDegrees, random),
                                         uniform(-o.maxRotationDegrees, o.maxRotationDegrees, random)};
    const std::array<double, 3> scale{uniform(o.minScale, o.maxScale, random), uniform(o.minScale, o.maxScale, random),
                                      uniform(o.minScale, o.maxScale, random)};
    out = affineTransformVolume(out.image, out.mask, spacing, rotation, scale);
  }
  if (chance(o.elasticProbability, random))
    out = elasticDeformVolume(out.image, out.mask, spacing, o.elasticControlPoints, o.elasticMaxDisplacementMm, random);
  if (chance(o.flipProbability, random)) {
    std::vector<int64_t> axes;
    for (int64_t axis = 0; axis < 3; ++axis)
      if (chance(0.5, random)) axes.push_back(axis);
    if (!axes.empty()) {
      out.image = out.image.flip(axes);
      out.mask = out.mask.flip(axes);
    }
  }
  if (chance(o.biasFieldProbability, random))
    out.image = out.image * biasField(out.image.sizes().vec(), o.biasFieldOrder, o.biasFieldCoefficient, random).to(out.image.device());
  if (chance(o.noiseProbability, random)) {
    const double std = uniform(0.0, o.noiseStdMax, random) * out.image.std().item<double>();
    // The noise comes from the same seeded generator as every other choice, so a resumed job repeats it.
    const auto seed = std::uniform_int_distribution<int64_t>(0, (int64_t(1) << 62))(random);
    auto generator = at::detail::createCPUGenerator(static_cast<uint64_t>(seed));
    out.image = out.image + std * torch::randn(out.image.sizes(), generator, torch::TensorOptions().dtype(torch::kFloat32)).to(out.image.device());
  }
  return out;
}

} // namespace medclick
