#pragma once
// Multi-scale spatial and channel attention between U-KAN's convolutional and KAN stages (IKAN §2,
// "MSCA ... via spatial-channel feature recalibration"). Spatial: a 5×5 depth-wise conv, then strip
// convolutions 1×k/k×1 at k = 7, 11, 21 (long, thin context at little cost), summed and mixed by a
// 1×1 conv into per-pixel weights. Channel: squeeze-and-excitation on the re-weighted features.
// Residual, so an untrained module starts near the identity of its input.

#include "nn/conv_blocks.h"

#include <torch/torch.h>

#include <vector>

namespace medclick {

class MultiScaleAttentionImpl : public torch::nn::Module {
public:
  explicit MultiScaleAttentionImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);

  torch::nn::Conv2d local{nullptr};
  torch::nn::ModuleList strips{nullptr}; // pairs (1×k, k×1) for k = 7, 11, 21
  torch::nn::Conv2d mix{nullptr};
  SqueezeExcitation channel{nullptr};
};
TORCH_MODULE(MultiScaleAttention);

} // namespace medclick
