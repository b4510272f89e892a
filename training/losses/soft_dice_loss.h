#pragma once
// The soft Dice loss, 1 − 2 Σ p y / (Σ p + Σ y), written once for every trainer that uses it (CAISeg's
// ℓ_Dice of eq. 11, KANU-Net's and KM-UNet's BCE + Dice). An empty target with an empty prediction is
// a perfect answer: loss 0.

#include <torch/torch.h>

namespace medclick {

// probability and target of the same shape; the sums run over every dimension from firstPixelDim on,
// so the result has the shape of the leading dimensions: [B] for [B, ...] with firstPixelDim 1,
// [B, K] for [B, K, ...] with firstPixelDim 2.
torch::Tensor softDiceLoss(const torch::Tensor& probability, const torch::Tensor& target, int64_t firstPixelDim = 1);

} // namespace medclick
