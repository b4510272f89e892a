#include "kan/kan_block.h"

namespace medclick {

torch::Tensor tokensToImage(const torch::Tensor& tokens, int64_t height, int64_t width) {
  return tokens.transpose(1, 2).reshape({tokens.size(0), tokens.size(2), height, width});
}

torch::Tensor imageToTokens(const torch::Tensor& image) { return image.flatten(2).transpose(1, 2); }

TokenConvImpl::TokenConvImpl(int64_t channels) {
  conv = register_module("conv", WaveletConv(WaveletConvOptions(channels, 3)));
  norm = register_module("norm", BatchNorm(channels));
}

torch::Tensor TokenConvImpl::forward(const torch::Tensor& tokens, int64_t height, int64_t width) {
  const auto image = tokensToImage(tokens, height, width);
  return imageToTokens(torch::relu(norm(conv(image))));
}

KANLayerImpl::KANLayerImpl(int64_t channels) {
  fc1 = register_module("fc1", KANLinear(KANLinearOptions(channels, channels)));
  fc2 = register_module("fc2", KANLinear(KANLinearOptions(channels, channels)));
  fc3 = register_module("fc3", KANLinear(KANLinearOptions(channels, channels)));
  dwconv_1 = register_module("dwconv_1", TokenConv(channels));
  dwconv_2 = register_module("dwconv_2", TokenConv(channels));
  dwconv_3 = register_module("dwconv_3", TokenConv(channels));
}

torch::Tensor KANLayerImpl::forward(const torch::Tensor& tokens, int64_t height, int64_t width) {
  auto x = dwconv_1(fc1(tokens), height, width);
  x = dwconv_2(fc2(x), height, width);
  return dwconv_3(fc3(x), height, width);
}

KANBlockImpl::KANBlockImpl(int64_t channels, double dropPathProbability) : dropPathProbability_(dropPathProbability) {
  norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({channels})));
  layer = register_module("layer", KANLayer(channels));
}

torch::Tensor KANBlockImpl::forward(const torch::Tensor& tokens, int64_t height, int64_t width) {
  return tokens + dropPath(layer(norm2(tokens), height, width), dropPathProbability_, is_training());
}

PatchEmbedImpl::PatchEmbedImpl(int64_t inChannels, int64_t embedDim) {
  proj = register_module("proj", torch::nn::Conv2d(torch::nn::Conv2dOptions(inChannels, embedDim, 3).stride(2).padding(1)));
  norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({embedDim})));
}

Tokens PatchEmbedImpl::forward(const torch::Tensor& x) {
  const auto projected = proj(x);
  return {norm(imageToTokens(projected)), projected.size(2), projected.size(3)};
}

} // namespace medclick
