#include "inference/ikan/msca.h"

namespace medclick {

namespace nn = torch::nn;

MultiScaleAttentionImpl::MultiScaleAttentionImpl(int64_t c) {
  local = register_module("local", nn::Conv2d(nn::Conv2dOptions(c, c, 5).padding(2).groups(c)));
  strips = register_module("strips", nn::ModuleList());
  for (const int64_t k : {7, 11, 21}) {
    strips->push_back(nn::Conv2d(nn::Conv2dOptions(c, c, {1, k}).padding({0, k / 2}).groups(c)));
    strips->push_back(nn::Conv2d(nn::Conv2dOptions(c, c, {k, 1}).padding({k / 2, 0}).groups(c)));
  }
  mix = register_module("mix", nn::Conv2d(nn::Conv2dOptions(c, c, 1)));
  channel = register_module("channel", SqueezeExcitation(c, 4));
}

torch::Tensor MultiScaleAttentionImpl::forward(const torch::Tensor& x) {
  const auto base = local(x);
  auto context = base;
  for (size_t i = 0; i < strips->size(); i += 2) {
    const auto horizontal = strips[i]->as<nn::Conv2d>()->forward(base);
    context = context + strips[i + 1]->as<nn::Conv2d>()->forward(horizontal);
  }
  const auto spatial = mix(context);
  return x + channel(x * spatial);
}

} // namespace medclick
