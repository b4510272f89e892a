#pragma once
// KANU-Net's loss (kanu-net-small-samples-brain-mri.md, "Loss function and optimization"): binary
// cross-entropy and Dice loss weighted by α = 0.2, chosen there for training stability.
//   Loss = α · L_BCE + (1 − α) · L_Dice
//   L_BCE  = −(1/N) Σ_i [ y_i · log p_i + (1 − y_i) · log(1 − p_i) ]   (N pixels, natural log)
//   L_Dice = 1 − 2 Σ_i p_i g_i / (Σ_i p_i + Σ_i g_i)
// Both per image and per class (each class a binary map: BraTS's WT, TC, ET), then averaged.

#include <torch/torch.h>

namespace medclick {

constexpr double kKanUnetLossAlpha = 0.2;

// logits: [B, K, H, W] (or any [B, K, ...]), p = sigmoid(logits); target: same shape, 0 or 1.
// Returns the scalar mean over B and K. An image and class with nothing predicted and nothing to find
// (Σp + Σg = 0) has Dice loss 0, a perfect answer, not 0/0.
torch::Tensor bceDiceLoss(const torch::Tensor& logits, const torch::Tensor& target, double alpha = kKanUnetLossAlpha);

} // namespace medclick
