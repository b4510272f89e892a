#include "losses/soft_dice_loss.h"

#include <stdexcept>

namespace medclick {

torch::Tensor softDiceLoss(const torch::Tensor& probability, const torch::Tensor& target, int64_t firstPixelDim) {
  if (probability.sizes() != target.sizes()) throw std::invalid_argument("softDiceLoss: probability and target shapes differ");
  if (firstPixelDim < 1 || firstPixelDim >= probability.dim()) throw std::invalid_argument("softDiceLoss: no pixel dimensions to sum over");
  const auto p = probability.flatten(firstPixelDim);
  const auto y = target.to(probability.dtype()).flatten(firstPixelDim);
  const auto overlap = (p * y).sum(-1);
  const auto total = p.sum(-1) + y.sum(-1);
  return torch::where(total > 0, 1.0 - 2.0 * overlap / total.clamp_min(1e-12), torch::zeros_like(total));
}

} // namespace medclick
