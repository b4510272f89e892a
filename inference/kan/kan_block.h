#pragma once
// U-KAN's tokenized KAN stage, with IKAN's wavelet convolutions:
//   KANLayer = 3 × [KANLinear C→C, then wavelet depth-wise conv–BN–ReLU on the token grid]
//   KANBlock = x + DropPath(KANLayer(LayerNorm(x)))
//   PatchEmbed = 3×3 stride-2 conv, flatten to tokens, LayerNorm
// Tokens are [B, H*W, C] with their grid size passed alongside.

#include "kan/kan_linear.h"
#include "kan/wavelet_conv.h"

#include "nn/batch_norm.h"
#include "nn/drop_path.h"

#include <torch/torch.h>

namespace medclick {

class TokenConvImpl : public torch::nn::Module { // wavelet depth-wise conv, BN, ReLU on the token grid
public:
  explicit TokenConvImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& tokens, int64_t height, int64_t width);
  WaveletConv conv{nullptr};
  BatchNorm norm{nullptr};
};
TORCH_MODULE(TokenConv);

class KANLayerImpl : public torch::nn::Module {
public:
  explicit KANLayerImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& tokens, int64_t height, int64_t width);
  KANLinear fc1{nullptr}, fc2{nullptr}, fc3{nullptr};
  TokenConv dwconv_1{nullptr}, dwconv_2{nullptr}, dwconv_3{nullptr};
};
TORCH_MODULE(KANLayer);

class KANBlockImpl : public torch::nn::Module {
public:
  KANBlockImpl(int64_t channels, double dropPathProbability = 0.0);
  torch::Tensor forward(const torch::Tensor& tokens, int64_t height, int64_t width);
  torch::nn::LayerNorm norm2{nullptr};
  KANLayer layer{nullptr};

private:
  double dropPathProbability_;
};
TORCH_MODULE(KANBlock);

struct Tokens {
  torch::Tensor values; // [B, H*W, C]
  int64_t height = 0, width = 0;
};

class PatchEmbedImpl : public torch::nn::Module {
public:
  PatchEmbedImpl(int64_t inChannels, int64_t embedDim);
  Tokens forward(const torch::Tensor& x); // [B, C, H, W] -> tokens on the (H/2, W/2) grid
  torch::nn::Conv2d proj{nullptr};
  torch::nn::LayerNorm norm{nullptr};
};
TORCH_MODULE(PatchEmbed);

// [B, H*W, C] <-> [B, C, H, W]
torch::Tensor tokensToImage(const torch::Tensor& tokens, int64_t height, int64_t width);
torch::Tensor imageToTokens(const torch::Tensor& image);

} // namespace medclick
