#pragma once
// IKAN eq. (6), attentional feature fusion of the backbone and side-branch features:
//   F_fused = α · F_backbone + (1 − α) · F_side,  α = σ(A([F_backbone, F_side]))
// A averages each branch over its channels and convolves the two maps (7×7), so α is a spatial
// weight in (0, 1): where the side branch (which sees the click-modulated map) should win.

#include <torch/torch.h>

namespace medclick {

class AffFusionImpl : public torch::nn::Module {
public:
  AffFusionImpl();
  torch::Tensor forward(const torch::Tensor& backbone, const torch::Tensor& side);
  torch::Tensor attention(const torch::Tensor& backbone, const torch::Tensor& side); // α, [B, 1, H, W]
  torch::nn::Conv2d spatial{nullptr};
};
TORCH_MODULE(AffFusion);

} // namespace medclick
