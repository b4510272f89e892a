#pragma once
// EMA, Efficient Multi-scale Attention (Ouyang et al., ICASSP 2023), as KM-UNet puts it after SS2D.
// The channels are split into G groups; per group of c = C/G channels, on x_g [c, H, W]:
//   1×1 branch: pool along W and along H (two 1-D descriptors), one shared 1×1 conv over both,
//               sigmoid gates; x1 = GroupNorm(x_g ⊙ σ(h-gate) ⊙ σ(w-gate))
//   3×3 branch: x2 = conv3×3(x_g)
//   cross-spatial learning: weights = softmax(GAP(x1)) · x2 + softmax(GAP(x2)) · x1   (over c, per pixel)
//   output = x_g ⊙ σ(weights)                                                        (one gate per pixel)
// Parameter names follow the authors' code (conv1x1, conv3x3, gn).

#include <torch/torch.h>

namespace medclick {

struct EmaOptions {
  EmaOptions(int64_t channels, int64_t groups) : channels(channels), groups(groups) {}
  int64_t channels;
  int64_t groups; // must divide channels (the authors' "factor", 32 for ResNet widths)
};

class EmaAttentionImpl : public torch::nn::Module {
public:
  explicit EmaAttentionImpl(const EmaOptions& options);
  torch::Tensor forward(const torch::Tensor& x); // [B, C, H, W] -> [B, C, H, W]
  // σ(weights): [B·G, 1, H, W], the gate each group's pixels are multiplied by.
  torch::Tensor gate(const torch::Tensor& x);
  int64_t groups() const { return options_.groups; }

  torch::nn::Conv2d conv1x1{nullptr}, conv3x3{nullptr};
  torch::nn::GroupNorm gn{nullptr}; // one group per channel of a group: a per-channel normalization

private:
  torch::Tensor groupedView(const torch::Tensor& x) const; // [B·G, C/G, H, W]
  torch::Tensor gateOfGroups(const torch::Tensor& grouped);
  EmaOptions options_;
};
TORCH_MODULE(EmaAttention);

} // namespace medclick
