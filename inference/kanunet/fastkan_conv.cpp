#include "kanunet/fastkan_conv.h"

#include <stdexcept>

namespace medclick {

namespace nn = torch::nn;

torch::Tensor radialBasis(const torch::Tensor& x, const torch::Tensor& centres, double sigma) {
  return torch::exp(-((x - centres) / sigma).square());
}

FastKanConvImpl::FastKanConvImpl(const FastKanConvOptions& o) : options_(o) {
  if (o.numGrids < 2) throw std::invalid_argument("FastKANConv: needs at least two grid points");
  if (o.inChannels > 1) layernorm = register_module("layernorm", nn::LayerNorm(nn::LayerNormOptions({o.inChannels})));
  grid = register_buffer("grid", torch::linspace(o.gridMin, o.gridMax, o.numGrids));
  const auto pad = o.kernelSize / 2;
  spline_conv = register_module(
      "spline_conv", nn::Conv2d(nn::Conv2dOptions(o.inChannels * o.numGrids, o.outChannels, o.kernelSize).padding(pad)));
  base_conv = register_module("base_conv", nn::Conv2d(nn::Conv2dOptions(o.inChannels, o.outChannels, o.kernelSize).padding(pad)));
  torch::NoGradGuard noGrad;
  spline_conv->weight.normal_(0.0, o.splineWeightInitScale);
  spline_conv->bias.zero_();
}

torch::Tensor FastKanConvImpl::expandedBases(const torch::Tensor& x) {
  const auto batch = x.size(0), channels = x.size(1), height = x.size(2), width = x.size(3);
  const auto pixels = x.permute({0, 2, 3, 1}); // [B, H, W, C]: a plain view when x is channels-last
  const auto normalized = layernorm ? layernorm(pixels) : pixels;
  // [B, H, W, n, C], so that the grid-major channels end up channels-last for the convolution.
  const auto bases = radialBasis(normalized.unsqueeze(3), grid.view({options_.numGrids, 1}), options_.sigma());
  return bases.reshape({batch, height, width, options_.numGrids * channels}).permute({0, 3, 1, 2});
}

torch::Tensor FastKanConvImpl::forward(const torch::Tensor& x) { return spline_conv(expandedBases(x)) + base_conv(torch::silu(x)); }

} // namespace medclick
