#pragma once
// KM-UNet's Selective-Scan Efficient Multi-scale module: SS2D followed by EMA, on a convolutional
// feature map. SS2D runs as VMamba's VSS block does, pre-normalized and residual,
//   y = x + SS2D(LayerNorm(x))      (over channels, per pixel)
//   output = EMA(y)
// so that an untrained module passes its input on (gated by EMA) and the skip features survive the
// first steps of training.

#include "attention/ema_attention.h"
#include "mamba/ss2d.h"

#include <torch/torch.h>

namespace medclick {

struct SsemOptions {
  explicit SsemOptions(int64_t channels) : channels(channels) {}
  int64_t channels;
  int64_t dState = 16;
  int64_t expand = 2;
  int64_t emaGroups = 8; // clamped to a divisor of channels with at least 2 channels per group
  ScanKernel kernel = ScanKernel::Auto;
};

class SsemBlockImpl : public torch::nn::Module {
public:
  explicit SsemBlockImpl(const SsemOptions& options);
  torch::Tensor forward(const torch::Tensor& x); // [B, C, H, W] -> [B, C, H, W]

  torch::nn::LayerNorm norm{nullptr};
  SS2D ss2d{nullptr};
  EmaAttention ema{nullptr};
};
TORCH_MODULE(SsemBlock);

// The largest divisor of channels that is at most `wanted` and leaves at least two channels per
// group (EMA's softmax over one channel would be a constant).
int64_t emaGroupsFor(int64_t channels, int64_t wanted);

} // namespace medclick
