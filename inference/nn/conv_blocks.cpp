#include "nn/conv_blocks.h"

#include <algorithm>

namespace medclick {

namespace nn = torch::nn;

nn::Sequential convBnRelu(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t groups) {
  return nn::Sequential(nn::Conv2d(nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).groups(groups).bias(false)),
                        BatchNorm(out), nn::ReLU(nn::ReLUOptions(true)));
}

nn::Sequential encoderDoubleConv(int64_t in, int64_t out) {
  nn::Sequential sequence;
  sequence->extend(*convBnRelu(in, out, 3));
  sequence->extend(*convBnRelu(out, out, 3));
  return sequence;
}

nn::Sequential decoderDoubleConv(int64_t in, int64_t out) {
  nn::Sequential sequence;
  sequence->extend(*convBnRelu(in, in, 3));
  sequence->extend(*convBnRelu(in, out, 3));
  return sequence;
}

SqueezeExcitationImpl::SqueezeExcitationImpl(int64_t channels, int64_t reduction) {
  const int64_t hidden = std::max<int64_t>(2, channels / reduction);
  fc1 = register_module("fc1", nn::Conv2d(nn::Conv2dOptions(channels, hidden, 1)));
  fc2 = register_module("fc2", nn::Conv2d(nn::Conv2dOptions(hidden, channels, 1)));
}

torch::Tensor SqueezeExcitationImpl::channelWeights(const torch::Tensor& x) {
  return torch::sigmoid(fc2(torch::relu(fc1(x.mean({2, 3}, true)))));
}

torch::Tensor SqueezeExcitationImpl::forward(const torch::Tensor& x) { return x * channelWeights(x); }

BasicBlockImpl::BasicBlockImpl(int64_t in, int64_t out, int64_t stride) {
  conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false)));
  bn1 = register_module("bn1", BatchNorm(out));
  conv2 = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(out, out, 3).padding(1).bias(false)));
  bn2 = register_module("bn2", BatchNorm(out));
  shortcut = register_module("shortcut", nn::Sequential());
  if (stride != 1 || in != out) {
    // ResNet-D's shortcut (average-pool, then 1×1 conv): it keeps every input pixel, and a strided
    // 1×1 convolution crashes oneDNN 2.6's channels-last backward pass (Debian 12's LibTorch).
    if (stride != 1) shortcut->push_back(nn::AvgPool2d(nn::AvgPool2dOptions(stride).stride(stride)));
    shortcut->push_back(nn::Conv2d(nn::Conv2dOptions(in, out, 1).bias(false)));
    shortcut->push_back(BatchNorm(out));
  }
}

torch::Tensor BasicBlockImpl::forward(const torch::Tensor& x) {
  const auto residual = shortcut->is_empty() ? x : shortcut->forward(x);
  return torch::relu(bn2(conv2(torch::relu(bn1(conv1(x))))) + residual);
}

} // namespace medclick
