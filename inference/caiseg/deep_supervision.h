#pragma once
// CAISeg's deep supervision of the Interaction-Guided Module (§III-E): every voxel of the adjusted
// map F_new is classified by the adjusted head queries,
//   CAISeg eq. (9)   q_h = concat(q_fore, q_back)
//   CAISeg eq. (10)  P̂_cls = Softmax(F_new · q_hᵀ / √d_k),  d_k = C
// then reshaped and up-sampled (trilinear) to the input's size for the loss of eq. (12). The class
// order here is that of every CAISeg output, (background, foreground); CAISeg eq. (9)'s concatenation order
// does not change the softmax.

#include <torch/torch.h>

#include <vector>

namespace medclick {

// adjustedFeatures F_new [B, C, d, h, w], queries [B, 2, C] (q_back, q_fore) → the scores inside
// CAISeg eq. (10)'s softmax, F_new · q_hᵀ / √d_k: [B, 2, d, h, w].
torch::Tensor headClassScores(const torch::Tensor& adjustedFeatures, const torch::Tensor& queries);
// P̂_cls = Softmax(scores) over the two classes: [B, 2, d, h, w].
torch::Tensor headClassProbability(const torch::Tensor& adjustedFeatures, const torch::Tensor& queries);

// [B, 2, d, h, w] → [B, 2, D, H, W] by trilinear interpolation (stays a probability distribution).
torch::Tensor upsampleProbability(const torch::Tensor& probability, const std::vector<int64_t>& size);

} // namespace medclick
