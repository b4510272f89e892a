#include "kan/wavelet_conv.h"

namespace medclick {

namespace {

// The four 2×2 Haar filters, each with norm 1, so analysis followed by synthesis is the identity.
torch::Tensor haarFilters(const torch::Tensor& like, int64_t channels) {
  const auto f = torch::tensor({0.5f, 0.5f, 0.5f, 0.5f,     // LL
                                0.5f, -0.5f, 0.5f, -0.5f,   // LH: differences along x
                                0.5f, 0.5f, -0.5f, -0.5f,   // HL: differences along y
                                0.5f, -0.5f, -0.5f, 0.5f},  // HH
                               like.options())
                     .view({4, 1, 2, 2});
  return f.repeat({channels, 1, 1, 1}); // [4C, 1, 2, 2], grouped per channel
}

} // namespace

torch::Tensor haarForward(const torch::Tensor& x) {
  const auto c = x.size(1);
  const auto bands = torch::nn::functional::conv2d(
      x, haarFilters(x, c), torch::nn::functional::Conv2dFuncOptions().stride(2).groups(c));
  return bands.view({x.size(0), c, 4, bands.size(2), bands.size(3)});
}

torch::Tensor haarInverse(const torch::Tensor& bands) {
  const auto c = bands.size(1);
  const auto flat = bands.reshape({bands.size(0), c * 4, bands.size(3), bands.size(4)});
  return torch::nn::functional::conv_transpose2d(
      flat, haarFilters(bands, c), torch::nn::functional::ConvTranspose2dFuncOptions().stride(2).groups(c));
}

WaveletConvImpl::WaveletConvImpl(const WaveletConvOptions& o) {
  const auto pad = o.kernelSize / 2;
  base_conv = register_module(
      "base_conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(o.channels, o.channels, o.kernelSize).padding(pad).groups(o.channels)));
  wavelet_conv = register_module(
      "wavelet_conv",
      torch::nn::Conv2d(torch::nn::Conv2dOptions(4 * o.channels, 4 * o.channels, o.kernelSize).padding(pad).groups(4 * o.channels).bias(false)));
  base_scale = register_parameter("base_scale", torch::ones({1, o.channels, 1, 1}));
  wavelet_scale = register_parameter("wavelet_scale", torch::full({1, 4 * o.channels, 1, 1}, 0.1));
}

torch::Tensor WaveletConvImpl::forward(const torch::Tensor& x) {
  const auto h = x.size(2), w = x.size(3);
  const auto padded = torch::nn::functional::pad(
      x, torch::nn::functional::PadFuncOptions({0, w % 2, 0, h % 2}).mode(torch::kReplicate));
  auto bands = haarForward(padded);
  const auto shape = bands.sizes().vec();
  const auto flat = bands.reshape({shape[0], shape[1] * 4, shape[3], shape[4]});
  const auto filtered = (wavelet_conv(flat) * wavelet_scale).view(shape);
  const auto wavelet = haarInverse(filtered).narrow(2, 0, h).narrow(3, 0, w);
  return base_conv(x) * base_scale + wavelet;
}

} // namespace medclick
