#include "training/data/volume_augmentation.h"

#include <ATen/CPUGeneratorImpl.h>

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
  const auto grid = F::affine_grid(affine, {1, 1, D, H, W}, false);
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
