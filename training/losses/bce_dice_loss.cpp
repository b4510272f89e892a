#include "losses/bce_dice_loss.h"

#include "losses/soft_dice_loss.h"

#include <stdexcept>

namespace medclick {

namespace F = torch::nn::functional;

torch::Tensor bceDiceLoss(const torch::Tensor& logits, const torch::Tensor& target, double alpha) {
  if (logits.sizes() != target.sizes()) throw std::invalid_argument("bceDiceLoss: logits and target shapes differ");
  if (logits.dim() < 3) throw std::invalid_argument("bceDiceLoss: expected [B, K, ...] (batch, classes, pixels)");
  if (alpha < 0.0 || alpha > 1.0) throw std::invalid_argument("bceDiceLoss: alpha must lie in [0, 1]");
  const auto g = target.to(logits.dtype()).flatten(2); // [B, K, N]
  const auto z = logits.flatten(2);
  // L_BCE from the logits: the same value as −[y log p + (1 − y) log(1 − p)] with p = sigmoid(z),
  // without log(0) when p saturates.
  const auto bce = F::binary_cross_entropy_with_logits(z, g, F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone))
                       .mean(2); // (1/N) Σ_i
  const auto dice = softDiceLoss(torch::sigmoid(z), g, 2); // [B, K]
  return (alpha * bce + (1.0 - alpha) * dice).mean(); // KANU-Net: α · L_BCE + (1 − α) · L_Dice
}

} // namespace medclick
