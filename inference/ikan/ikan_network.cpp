#include "inference/ikan/ikan_network.h"

#include "inference/ikan/click_maps.h"
#include "nn/channels_last.h"

#include <stdexcept>

namespace medclick {

namespace nn = torch::nn;
namespace F = torch::nn::functional;

IkanOptions IkanOptions::paper() { return IkanOptions{}; }

IkanOptions IkanOptions::small() {
  IkanOptions o;
  o.variant = "small";
  o.embedDims = {64, 96, 128};
  o.hicamBranchChannels = 4;
  o.sideWidths = {8, 16, 32, 64};
  return o;
}

IkanOptions IkanOptions::named(const std::string& variant) {
  if (variant == "paper") return paper();
  if (variant == "small") return small();
  throw std::invalid_argument("unknown IKAN variant '" + variant + "' (use paper or small)");
}

IkanNetworkImpl::IkanNetworkImpl(const IkanOptions& options) : options_(options) {
  const auto [e0, e1, e2] = options.embedDims;
  hicam = register_module("hicam", Hicam(HicamOptions{6, options.hicamBranchChannels, 2}));
  encoder1 = register_module("encoder1", encoderDoubleConv(hicam->outChannels(), e0 / 8));
  encoder2 = register_module("encoder2", encoderDoubleConv(e0 / 8, e0 / 4));
  encoder3 = register_module("encoder3", encoderDoubleConv(e0 / 4, e0));
  msca = register_module("msca", MultiScaleAttention(e0));
  patch_embed3 = register_module("patch_embed3", PatchEmbed(e0, e1));
  patch_embed4 = register_module("patch_embed4", PatchEmbed(e1, e2));
  block1 = register_module("block1", KANBlock(e1, options.dropPath));
  block2 = register_module("block2", KANBlock(e2, options.dropPath));
  dblock1 = register_module("dblock1", KANBlock(e1, options.dropPath));
  dblock2 = register_module("dblock2", KANBlock(e0, options.dropPath));
  norm3 = register_module("norm3", nn::LayerNorm(nn::LayerNormOptions({e1})));
  norm4 = register_module("norm4", nn::LayerNorm(nn::LayerNormOptions({e2})));
  dnorm3 = register_module("dnorm3", nn::LayerNorm(nn::LayerNormOptions({e1})));
  dnorm4 = register_module("dnorm4", nn::LayerNorm(nn::LayerNormOptions({e0})));
  side_branch = register_module("side_branch", SideBranch(6, options.sideWidths, e2));
  fusion = register_module("fusion", AffFusion());
  decoder1 = register_module("decoder1", decoderDoubleConv(e2, e1));
  decoder2 = register_module("decoder2", decoderDoubleConv(e1, e0));
  decoder3 = register_module("decoder3", decoderDoubleConv(e0, e0 / 4));
  decoder4 = register_module("decoder4", decoderDoubleConv(e0 / 4, e0 / 8));
  decoder5 = register_module("decoder5", decoderDoubleConv(e0 / 8, e0 / 8));
  final_conv = register_module("final_conv", nn::Conv2d(nn::Conv2dOptions(e0 / 8, 2, 1)));
}

namespace {

torch::Tensor upsample2(const torch::Tensor& x) {
  return F::interpolate(x, F::InterpolateFuncOptions()
                               .size(std::vector<int64_t>{x.size(2) * 2, x.size(3) * 2})
                               .mode(torch::kBilinear)
                               .align_corners(false));
}

torch::Tensor downStage(nn::Sequential stage, const torch::Tensor& x) {
  return torch::relu(F::max_pool2d(stage->forward(x), F::MaxPool2dFuncOptions(2).stride(2)));
}

torch::Tensor upStage(nn::Sequential stage, const torch::Tensor& x) { return torch::relu(upsample2(stage->forward(x))); }

} // namespace

torch::Tensor IkanNetworkImpl::forward(const IkanInput& in) {
  if (in.image.size(2) % 32 != 0 || in.image.size(3) % 32 != 0)
    throw std::invalid_argument("IKAN needs an input size that is a multiple of 32");
  const auto z = hicam(concatenateChannels({in.image, in.clickMaps, in.previous}));

  // Convolutional stages (1/2, 1/4, 1/8), then multi-scale attention into the KAN stages.
  const auto t1 = downStage(encoder1, z);
  const auto t2 = downStage(encoder2, t1);
  const auto t3 = msca(downStage(encoder3, t2));

  Tokens tokens = patch_embed3(t3); // 1/16
  const auto t4 = tokensToImage(norm3(block1(tokens.values, tokens.height, tokens.width)), tokens.height, tokens.width);
  tokens = patch_embed4(t4); // 1/32: the bottleneck
  auto out = tokensToImage(norm4(block2(tokens.values, tokens.height, tokens.width)), tokens.height, tokens.width);

  const auto side = side_branch(concatenateChannels({in.image, in.clickMaps, in.modulatedPrevious}));
  out = fusion(out, side);

  out = upStage(decoder1, out) + t4;
  out = tokensToImage(dnorm3(dblock1(imageToTokens(out), out.size(2), out.size(3))), out.size(2), out.size(3));
  out = upStage(decoder2, out) + t3;
  out = tokensToImage(dnorm4(dblock2(imageToTokens(out), out.size(2), out.size(3))), out.size(2), out.size(3));
  out = upStage(decoder3, out) + t2;
  out = upStage(decoder4, out) + t1;
  out = upStage(decoder5, out);
  return final_conv(out);
}

IkanInput IkanNetworkImpl::prepareInput(const torch::Tensor& image, const torch::Tensor& previous,
                                        const std::vector<ClickList>& clicks, const std::vector<size_t>& firstNewClick) const {
  const auto batch = image.size(0), height = image.size(2), width = image.size(3);
  if (static_cast<int64_t>(clicks.size()) != batch || static_cast<int64_t>(firstNewClick.size()) != batch)
    throw std::invalid_argument("IKAN: one click list and one first-new index per sample");
  const double radius = options_.clickRadius * options_.modulation.scaleFor(height, width);
  std::vector<torch::Tensor> maps, modulated;
  for (int64_t b = 0; b < batch; ++b) {
    maps.push_back(clickDiskMaps(clicks[b], height, width, radius, image.options()));
    modulated.push_back(modulateForNewClicks(previous[b], clicks[b], firstNewClick[b], options_.modulation));
  }
  return {image, torch::stack(maps), previous, torch::stack(modulated)};
}

torch::Tensor IkanNetworkImpl::foregroundProbability(const torch::Tensor& logits) {
  return torch::softmax(logits, 1).select(1, 1);
}

} // namespace medclick
