#include "inference/caiseg/feature_clustering.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace medclick {

std::array<double, 3> distanceCorrection(const VoxelSpacing& spacing, const Stride3& ratio) {
  // CAISeg eq. (13)
  return {spacing.z * static_cast<double>(ratio[0]), spacing.y * static_cast<double>(ratio[1]),
          spacing.x * static_cast<double>(ratio[2])};
}

torch::Tensor minMaxNormalize(const torch::Tensor& x) {
  const auto flat = x.flatten(-2);
  const auto low = flat.amin(-1, true).unsqueeze(-1);
  const auto high = flat.amax(-1, true).unsqueeze(-1);
  const auto range = high - low;
  // Where max = min every pair is equally far: the term carries no information and is 0.
  return torch::where(range > 0, (x - low) / range.clamp_min(1e-12), torch::zeros_like(x));
}

torch::Tensor featureDistances(const torch::Tensor& Q, const torch::Tensor& K) {
  // ‖q − k‖² = ‖q‖² + ‖k‖² − 2 q·k: N × n × d differences would not fit in memory for a real patch.
  // The clamp keeps the square root's gradient finite where q = k (a centre's own voxel).
  const auto squared = Q.pow(2).sum(-1, true) + K.pow(2).sum(-1).unsqueeze(-2) - 2 * torch::matmul(Q, K.transpose(-1, -2));
  return squared.clamp_min(1e-12).sqrt();
}

torch::Tensor spatialDistances(const Stride3& gridSize, const torch::Tensor& centres, const std::array<double, 3>& s,
                               const torch::TensorOptions& options) {
  const int64_t n = centres.size(0);
  const auto c = centres.to(options.dtype(torch::kDouble).device(options.device()));
  const auto axis = [&](size_t a) { // (χ_q − χ_k)_a · s_a squared, shaped to broadcast over the grid
    const auto positions = torch::arange(gridSize[a], c.options()).unsqueeze(1); // [size, 1]
    std::vector<int64_t> shape{1, 1, 1, n};
    shape[a] = gridSize[a];
    return ((positions - c.select(1, static_cast<int64_t>(a)).unsqueeze(0)) * s[a]).pow(2).view(shape);
  };
  const auto distance = (axis(0) + axis(1) + axis(2)).sqrt().reshape({-1, n});
  return distance.to(options.dtype());
}

torch::Tensor clusteringDistance(const torch::Tensor& featureDistance, const torch::Tensor& spatialDistance,
                                 const torch::Tensor& alpha) {
  // CAISeg eq. (4)
  return minMaxNormalize(featureDistance) + alpha * minMaxNormalize(spatialDistance);
}

torch::Tensor gaussianAffinity(const torch::Tensor& distance) {
  // CAISeg eq. (5)
  return torch::exp(-distance.pow(2));
}

torch::Tensor clusterMask(const torch::Tensor& affinity, const torch::Tensor& isForeground) {
  // CAISeg eq. (6): the maximum over the centres of each set, compared with every centre of that set.
  const auto a = affinity.detach();
  const auto foreground = isForeground.to(torch::kBool).unsqueeze(0).expand_as(a);
  const auto lowest = torch::full({}, -1.0, a.options()); // below any affinity in (0, 1]
  const auto bestForeground = torch::where(foreground, a, lowest).amax(-1, true);
  const auto bestBackground = torch::where(foreground, lowest, a).amax(-1, true);
  const auto best = torch::where(foreground, bestForeground.expand_as(a), bestBackground.expand_as(a));
  return (a == best).to(affinity.dtype());
}

torch::Tensor clusteredAffinity(const torch::Tensor& affinity, const torch::Tensor& mask) {
  // CAISeg eq. (7)
  return affinity * mask;
}

FeatureClusteringImpl::FeatureClusteringImpl(const FeatureClusteringOptions& options) : options_(options) {
  if (options.heads < 1 || options.channels % options.heads != 0)
    throw std::invalid_argument("feature clustering: " + std::to_string(options.heads) + " heads do not divide " +
                                std::to_string(options.channels) + " channels");
  // No bias: Q and K come from the same layer, so a bias cancels in q − k.
  projection = register_module("projection", torch::nn::Linear(torch::nn::LinearOptions(options.channels, options.channels).bias(false)));
  mask_weight = register_parameter("mask_weight", torch::randn({options.channels}) / std::sqrt(static_cast<double>(options.channels)));
  alpha = register_parameter("alpha", torch::ones({}));
}

torch::Tensor FeatureClusteringImpl::affinity(const torch::Tensor& features, const torch::Tensor& previousMask,
                                              const torch::Tensor& centres, const std::array<double, 3>& s) {
  const int64_t C = options_.channels, heads = options_.heads;
  if (features.dim() != 4 || features.size(0) != C) throw std::invalid_argument("feature clustering: F must be [C, d, h, w]");
  const Stride3 grid{features.size(1), features.size(2), features.size(3)};
  const auto voxels = features.flatten(1).t();                                                    // [N, C]
  const auto fused = projection(voxels) + previousMask.reshape({-1, 1}) * mask_weight;          // [N, C]
  const int64_t N = fused.size(0);
  const auto linearIndex = (centres.select(1, 0) * grid[1] + centres.select(1, 1)) * grid[2] + centres.select(1, 2);
  const auto Q = fused.view({N, heads, C / heads}).transpose(0, 1);                               // [h, N, d]
  const auto K = Q.index_select(1, linearIndex.to(features.device()));                             // [h, n, d]
  const auto D = clusteringDistance(featureDistances(Q, K), spatialDistances(grid, centres, s, fused.options()), alpha);
  return gaussianAffinity(D).mean(0); // the heads averaged
}

torch::Tensor FeatureClusteringImpl::forward(const torch::Tensor& features, const torch::Tensor& previousMask,
                                             const torch::Tensor& centres, const torch::Tensor& isForeground,
                                             const std::array<double, 3>& s) {
  const auto A = affinity(features, previousMask, centres, s);
  return clusteredAffinity(A, clusterMask(A, isForeground.to(A.device())));
}

} // namespace medclick
