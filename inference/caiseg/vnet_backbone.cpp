#include "inference/caiseg/vnet_backbone.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace medclick {

namespace nn = torch::nn;

Stride3 VnetOptions::downStride(int64_t level) const {
  if (level < 1 || level >= levels) throw std::out_of_range("V-Net: no down-sampling into level " + std::to_string(level));
  return (anisotropic && level == 1) ? Stride3{1, 2, 2} : Stride3{2, 2, 2};
}

Stride3 VnetOptions::cumulativeStride(int64_t level) const {
  Stride3 total{1, 1, 1};
  for (int64_t l = 1; l <= level; ++l) {
    const auto s = downStride(l);
    for (size_t a = 0; a < 3; ++a) total[a] *= s[a];
  }
  return total;
}

bool sliceAxisIsCoarse(const VoxelSpacing& spacing) {
  return spacing.z / std::max(spacing.y, spacing.x) > std::sqrt(2.0);
}

namespace {

// Every convolution here but the last 1³ feeds a BatchNorm, which removes a bias: none is learnt.
nn::Conv3dOptions sameConv(int64_t in, int64_t out, int64_t kernel) {
  return nn::Conv3dOptions(in, out, kernel).padding(kernel / 2).bias(false);
}

nn::PReLU prelu(int64_t channels) { return nn::PReLU(nn::PReLUOptions().num_parameters(channels)); }

std::vector<int64_t> asVector(const Stride3& s) { return {s[0], s[1], s[2]}; }

nn::Sequential luConvs(int64_t channels, int64_t count, int64_t kernelSize) {
  nn::Sequential ops;
  for (int64_t i = 0; i < count; ++i) ops->push_back(LUConv(channels, kernelSize));
  return ops;
}

} // namespace

LUConvImpl::LUConvImpl(int64_t channels, int64_t kernelSize) {
  conv = register_module("conv", nn::Conv3d(sameConv(channels, channels, kernelSize)));
  bn = register_module("bn", BatchNorm(channels));
  relu = register_module("relu", prelu(channels));
}

torch::Tensor LUConvImpl::forward(const torch::Tensor& x) { return relu(bn(conv(x))); }

InputTransitionImpl::InputTransitionImpl(int64_t inChannels, int64_t width, int64_t kernelSize) : width_(width) {
  if (width % inChannels != 0) throw std::invalid_argument("V-Net: the base width must be a multiple of the input channels");
  conv = register_module("conv", nn::Conv3d(sameConv(inChannels, width, kernelSize)));
  bn = register_module("bn", BatchNorm(width));
  relu = register_module("relu", prelu(width));
}

torch::Tensor InputTransitionImpl::forward(const torch::Tensor& x) {
  // The residual is the input repeated to the block's width (V-Net's x16).
  const auto repeated = x.repeat({1, width_ / x.size(1), 1, 1, 1});
  return relu(bn(conv(x)) + repeated);
}

DownTransitionImpl::DownTransitionImpl(int64_t inChannels, int64_t convs, int64_t kernelSize, Stride3 stride) {
  const int64_t out = 2 * inChannels;
  down_conv = register_module("down_conv", nn::Conv3d(nn::Conv3dOptions(inChannels, out, asVector(stride))
                                                          .stride(asVector(stride))
                                                          .bias(false)));
  bn = register_module("bn", BatchNorm(out));
  relu1 = register_module("relu1", prelu(out));
  relu2 = register_module("relu2", prelu(out));
  ops = register_module("ops", luConvs(out, convs, kernelSize));
}

torch::Tensor DownTransitionImpl::forward(const torch::Tensor& x) {
  const auto down = relu1(bn(down_conv(x)));
  return relu2(ops->forward(down) + down);
}

UpTransitionImpl::UpTransitionImpl(int64_t inChannels, int64_t outChannels, int64_t convs, int64_t kernelSize, Stride3 stride) {
  up_conv = register_module("up_conv", nn::ConvTranspose3d(nn::ConvTranspose3dOptions(inChannels, outChannels / 2, asVector(stride))
                                                              .stride(asVector(stride))
                                                              .bias(false)));
  bn = register_module("bn", BatchNorm(outChannels / 2));
  relu1 = register_module("relu1", prelu(outChannels / 2));
  relu2 = register_module("relu2", prelu(outChannels));
  ops = register_module("ops", luConvs(outChannels, convs, kernelSize));
}

torch::Tensor UpTransitionImpl::forward(const torch::Tensor& x, const torch::Tensor& skip) {
  const auto joined = torch::cat({relu1(bn(up_conv(x))), skip}, 1);
  return relu2(ops->forward(joined) + joined);
}

OutputTransitionImpl::OutputTransitionImpl(int64_t inChannels, int64_t kernelSize) {
  conv1 = register_module("conv1", nn::Conv3d(sameConv(inChannels, 2, kernelSize)));
  bn = register_module("bn", BatchNorm(2));
  relu = register_module("relu", prelu(2));
  conv2 = register_module("conv2", nn::Conv3d(nn::Conv3dOptions(2, 2, 1)));
}

torch::Tensor OutputTransitionImpl::forward(const torch::Tensor& x) { return conv2(relu(bn(conv1(x)))); }

VnetBackboneImpl::VnetBackboneImpl(const VnetOptions& options) : options_(options) {
  const int64_t L = options.levels;
  if (L < 3) throw std::invalid_argument("V-Net needs at least 3 levels (F is at stride 2, below the bottleneck)");
  if (static_cast<int64_t>(options.encoderConvs.size()) != L - 1 || static_cast<int64_t>(options.decoderConvs.size()) != L - 1)
    throw std::invalid_argument("V-Net: one encoder and one decoder conv count per down-sampling (" + std::to_string(L - 1) + ")");
  in_tr = register_module("in_tr", InputTransition(options.inChannels, options.baseWidth, options.kernelSize));
  down = register_module("down", nn::ModuleList());
  for (int64_t level = 1; level < L; ++level)
    down->push_back(DownTransition(options.widthAt(level - 1), options.encoderConvs[level - 1], options.kernelSize,
                                   options.downStride(level)));
  up = register_module("up", nn::ModuleList());
  for (int64_t level = L - 2; level >= 1; --level) // the up transition into level 0 is CAISeg's head
    up->push_back(UpTransition(options.widthAt(std::min(level + 2, L - 1)), options.widthAt(level + 1),
                               options.decoderConvs[L - 2 - level], options.kernelSize, options.downStride(level + 1)));
}

std::vector<int64_t> VnetBackboneImpl::decoderWidths() const {
  std::vector<int64_t> widths{options_.widthAt(options_.levels - 1)};
  for (int64_t level = options_.levels - 2; level >= 1; --level) widths.push_back(options_.widthAt(level + 1));
  return widths;
}

VnetFeatures VnetBackboneImpl::forward(const torch::Tensor& volume) {
  const auto coarsest = options_.cumulativeStride(options_.levels - 1);
  if (volume.dim() != 5 || volume.size(1) != options_.inChannels)
    throw std::invalid_argument("V-Net: the volume must be [B, " + std::to_string(options_.inChannels) + ", D, H, W]");
  for (size_t a = 0; a < 3; ++a)
    if (volume.size(2 + static_cast<int64_t>(a)) % coarsest[a] != 0)
      throw std::invalid_argument("V-Net: D, H, W must be multiples of " + std::to_string(coarsest[0]) + ", " +
                                  std::to_string(coarsest[1]) + ", " + std::to_string(coarsest[2]) + " (got " +
                                  std::to_string(volume.size(2)) + "×" + std::to_string(volume.size(3)) + "×" +
                                  std::to_string(volume.size(4)) + ")");
  VnetFeatures features;
  features.fullResolution = in_tr(volume);
  std::vector<torch::Tensor> skips{features.fullResolution};
  for (const auto& module : *down) skips.push_back(module->as<DownTransition>()->forward(skips.back()));
  auto x = skips.back();
  features.decoder.push_back(x);
  for (size_t i = 0; i < up->size(); ++i) {
    x = up[i]->as<UpTransition>()->forward(x, skips[skips.size() - 2 - i]);
    features.decoder.push_back(x);
  }
  return features;
}

} // namespace medclick
