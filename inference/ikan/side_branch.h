#pragma once
// IKAN's ResNet side branch (§2.3): reads [X_image, X_coord, X_modprev] — the previous probability
// already modulated around the new clicks — and brings it down to the bottleneck's grid (1/32) and
// width, where AFF fuses it with the backbone.

#include "nn/conv_blocks.h"

#include <torch/torch.h>

#include <array>

namespace medclick {

class SideBranchImpl : public torch::nn::Module {
public:
  // widths: stem (1/2), then stages at 1/4, 1/8, 1/16; the last stage (1/32) has outChannels.
  SideBranchImpl(int64_t inChannels, const std::array<int64_t, 4>& widths, int64_t outChannels);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Sequential stem{nullptr};
  torch::nn::Sequential stages{nullptr};
};
TORCH_MODULE(SideBranch);

} // namespace medclick
