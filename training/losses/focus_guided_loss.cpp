#include "losses/focus_guided_loss.h"

#include <algorithm>
#include <stdexcept>

namespace medclick {

namespace F = torch::nn::functional;

torch::Tensor clickDistanceMillimetres(const std::vector<int64_t>& size, const CaisegPrompt& prompt, const torch::Device& device) {
  if (size.size() != 3) throw std::invalid_argument("clickDistanceMillimetres: expected a size D, H, W");
  if (prompt.size() == 0) return {};
  const auto options = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  // Each axis' voxel centres in millimetres; the squared distance to a point separates per axis, so
  // one broadcast sum per point is exact (no chamfer approximation).
  const auto z = (torch::arange(size[0], options) * prompt.spacing.z).view({-1, 1, 1});
  const auto y = (torch::arange(size[1], options) * prompt.spacing.y).view({1, -1, 1});
  const auto x = (torch::arange(size[2], options) * prompt.spacing.x).view({1, 1, -1});
  torch::Tensor nearest;
  const auto addPoint = [&](const VoxelPoint& p) {
    const auto squared = (z - p.z * prompt.spacing.z).square() + (y - p.y * prompt.spacing.y).square() +
                         (x - p.x * prompt.spacing.x).square();
    nearest = nearest.defined() ? torch::minimum(nearest, squared) : squared;
  };
  for (const auto& p : prompt.foreground) addPoint(p);
  for (const auto& p : prompt.background) addPoint(p);
  return nearest.sqrt();
}

torch::Tensor focusGuidedWeights(const torch::Tensor& distance, double lambda) {
  const auto dMax = distance.max();
  if (dMax.item<double>() <= 0.0) return torch::full_like(distance, 2.0);
  return 1.0 + ((dMax - distance) / dMax).pow(lambda); // CAISeg eq. (8): the weight of ℓ_BCE
}

torch::Tensor focusGuidedWeightBatch(const std::vector<int64_t>& size, const std::vector<CaisegPrompt>& prompts, double lambda,
                                     const torch::Device& device) {
  std::vector<torch::Tensor> weights;
  for (const auto& prompt : prompts) {
    const auto distance = clickDistanceMillimetres(size, prompt, device);
    weights.push_back(distance.defined() ? focusGuidedWeights(distance, lambda)
                                         : torch::ones(size, torch::TensorOptions().dtype(torch::kFloat32).device(device)));
  }
  return torch::stack(weights);
}

torch::Tensor focusGuidedLoss(const torch::Tensor& probability, const torch::Tensor& target, const torch::Tensor& weights,
                              const torch::Tensor& logit) {
  if (probability.sizes() != target.sizes() || probability.sizes() != weights.sizes())
    throw std::invalid_argument("focusGuidedLoss: probability, target and weights must have one shape");
  const auto y = target.to(probability.dtype());
  const auto bce = logit.defined()
                       ? F::binary_cross_entropy_with_logits(logit, y, F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone))
                       : F::binary_cross_entropy(probability, y, F::BinaryCrossEntropyFuncOptions().reduction(torch::kNone));
  return (weights.to(probability.dtype()) * bce).flatten(1).mean(1); // CAISeg eq. (8), mean over voxels
}

double focusGuidedMu(double progress, const FocusGuidedLossOptions& options) {
  return options.muStart + (options.muEnd - options.muStart) * std::clamp(progress, 0.0, 1.0);
}

torch::Tensor combinedLoss(const torch::Tensor& probability, const torch::Tensor& target, const torch::Tensor& weights, double mu,
                           const torch::Tensor& logit) {
  // CAISeg eq. (11)
  return (mu * focusGuidedLoss(probability, target, weights, logit) + (1.0 - mu) * softDiceLoss(probability, target)).mean();
}

torch::Tensor caisegLoss(const torch::Tensor& outputLogit, const torch::Tensor& classLogit, const torch::Tensor& target,
                         const torch::Tensor& weights, double mu, double nu) {
  // CAISeg eq. (12): the output Ŷ and the IGM's deep supervision P̂_cls
  return nu * combinedLoss(torch::sigmoid(outputLogit), target, weights, mu, outputLogit) +
         (1.0 - nu) * combinedLoss(torch::sigmoid(classLogit), target, weights, mu, classLogit);
}

} // namespace medclick
