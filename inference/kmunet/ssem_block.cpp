#include "kmunet/ssem_block.h"

#include <algorithm>

namespace medclick {

int64_t emaGroupsFor(int64_t channels, int64_t wanted) {
  for (int64_t g = std::min(wanted, channels / 2); g > 1; --g)
    if (channels % g == 0) return g;
  return 1;
}

SsemBlockImpl::SsemBlockImpl(const SsemOptions& o) {
  norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({o.channels})));
  SS2DOptions scan(o.channels);
  scan.dState = o.dState;
  scan.expand = o.expand;
  scan.kernel = o.kernel;
  ss2d = register_module("ss2d", SS2D(scan));
  ema = register_module("ema", EmaAttention(EmaOptions(o.channels, emaGroupsFor(o.channels, o.emaGroups))));
}

torch::Tensor SsemBlockImpl::forward(const torch::Tensor& x) {
  const auto pixels = x.permute({0, 2, 3, 1}); // [B, H, W, C]: a plain view when x is channels-last
  const auto mixed = pixels + ss2d(norm(pixels));
  return ema(mixed.permute({0, 3, 1, 2}));
}

} // namespace medclick
