#include "losses/soft_iou_loss.h"

#include <stdexcept>

namespace medclick {

torch::Tensor softIoULoss(const torch::Tensor& prediction, const torch::Tensor& target) {
  if (prediction.sizes() != target.sizes())
    throw std::invalid_argument("softIoULoss: prediction and target shapes differ");
  if (prediction.dim() < 2) throw std::invalid_argument("softIoULoss: expected a batch dimension and at least one more");
  const auto valid = target.ne(-1).to(prediction.dtype()); // w_pixel
  const auto y = target.to(prediction.dtype());
  const auto flatPrediction = prediction.flatten(1);
  const auto flatTarget = y.flatten(1);
  const auto flatValid = valid.flatten(1);
  const auto intersection = (flatPrediction * flatTarget * flatValid).sum(1);
  const auto unionSoft = (torch::max(flatPrediction, flatTarget) * flatValid).sum(1);
  // IKAN eq. (1); an empty union (nothing predicted, nothing to find) is a perfect answer: loss 0.
  const auto ratio = torch::where(unionSoft > 0, intersection / unionSoft.clamp_min(1e-12), torch::ones_like(unionSoft));
  return 1.0 - ratio;
}

torch::Tensor iterationLoss(const std::vector<torch::Tensor>& predictionsPerRound, const torch::Tensor& target,
                            const std::vector<double>& roundWeights) {
  if (predictionsPerRound.empty()) throw std::invalid_argument("iterationLoss: no rounds");
  if (predictionsPerRound.size() != roundWeights.size())
    throw std::invalid_argument("iterationLoss: one weight W_t is needed per round");
  torch::Tensor total = torch::zeros({}, predictionsPerRound.front().options());
  for (std::size_t t = 0; t < predictionsPerRound.size(); ++t)
    total = total + roundWeights[t] * softIoULoss(predictionsPerRound[t], target).mean(); // IKAN eq. (1), L_Total
  return total;
}

std::vector<double> increasingRoundWeights(int rounds) {
  std::vector<double> weights;
  for (int t = 1; t <= rounds; ++t) weights.push_back(static_cast<double>(t));
  return weights;
}

} // namespace medclick
