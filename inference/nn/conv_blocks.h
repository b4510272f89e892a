#pragma once
// Convolution building blocks shared by the networks: conv–BN–ReLU, U-KAN's double conv stages,
// squeeze-and-excitation channel attention, and ResNet's basic block.

#include "nn/batch_norm.h"

#include <torch/torch.h>

namespace medclick {

// conv k×k (no bias) → BatchNorm → ReLU
torch::nn::Sequential convBnRelu(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1, int64_t groups = 1);

// U-KAN's ConvLayer / D_ConvLayer: two 3×3 conv–BN–ReLU, the width changing in the first (encoder)
// or in the second (decoder) conv.
torch::nn::Sequential encoderDoubleConv(int64_t in, int64_t out);
torch::nn::Sequential decoderDoubleConv(int64_t in, int64_t out);

// Squeeze-and-excitation (Hu et al.): global average → FC → ReLU → FC → sigmoid → per-channel weights.
class SqueezeExcitationImpl : public torch::nn::Module {
public:
  SqueezeExcitationImpl(int64_t channels, int64_t reduction);
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor channelWeights(const torch::Tensor& x); // [B, C, 1, 1] in (0, 1)
  torch::nn::Conv2d fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(SqueezeExcitation);

// ResNet basic block: two 3×3 conv–BN with a projected (ResNet-D) shortcut when the shape changes.
class BasicBlockImpl : public torch::nn::Module {
public:
  BasicBlockImpl(int64_t in, int64_t out, int64_t stride);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
  BatchNorm bn1{nullptr}, bn2{nullptr};
  torch::nn::Sequential shortcut{nullptr};
};
TORCH_MODULE(BasicBlock);

} // namespace medclick
