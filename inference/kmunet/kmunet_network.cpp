#include "kmunet/kmunet_network.h"

#include "nn/channels_last.h"
#include "nn/conv_blocks.h"

#include <stdexcept>

namespace medclick {

namespace nn = torch::nn;
namespace F = torch::nn::functional;

KmUnetOptions KmUnetOptions::paper() { return KmUnetOptions{}; }

KmUnetOptions KmUnetOptions::small() {
  KmUnetOptions o;
  o.variant = "small";
  o.embedDims = {64, 96, 128};
  o.dState = 8;
  o.ssmExpand = 1;
  return o;
}

KmUnetOptions KmUnetOptions::named(const std::string& variant) {
  const bool dense = variant.size() > 2 && variant.compare(variant.size() - 2, 2, "++") == 0;
  const auto base = dense ? variant.substr(0, variant.size() - 2) : variant;
  KmUnetOptions o;
  if (base == "paper") o = paper();
  else if (base == "small") o = small();
  else throw std::invalid_argument("unknown KM-UNet variant '" + variant + "' (use paper, small, paper++ or small++)");
  o.variant = variant;
  o.denseSkips = dense;
  return o;
}

namespace {

torch::Tensor upsample2(const torch::Tensor& x) {
  return F::interpolate(x, F::InterpolateFuncOptions()
                               .size(std::vector<int64_t>{x.size(2) * 2, x.size(3) * 2})
                               .mode(torch::kBilinear)
                               .align_corners(false));
}

torch::Tensor downStage(nn::Sequential& stage, const torch::Tensor& x) {
  return torch::relu(F::max_pool2d(stage->forward(x), F::MaxPool2dFuncOptions(2).stride(2)));
}

torch::Tensor upStage(const nn::Sequential& stage, const torch::Tensor& x) {
  return torch::relu(upsample2(stage.ptr()->forward(x)));
}

std::string nodeName(int i, int j) { return std::to_string(i) + "_" + std::to_string(j); }

} // namespace

KmUnetNetworkImpl::KmUnetNetworkImpl(const KmUnetOptions& o) : options_(o) {
  const auto [e0, e1, e2] = o.embedDims;
  const std::array<int64_t, 5> width{e0 / 8, e0 / 4, e0, e1, e2}; // per level
  const auto ssemOptions = [&](int64_t channels) {
    SsemOptions s(channels);
    s.dState = o.dState;
    s.expand = o.ssmExpand;
    s.emaGroups = o.emaGroups;
    s.kernel = o.scanKernel;
    return s;
  };

  encoder1 = register_module("encoder1", encoderDoubleConv(o.inChannels, width[0]));
  encoder2 = register_module("encoder2", encoderDoubleConv(width[0], width[1]));
  encoder3 = register_module("encoder3", encoderDoubleConv(width[1], width[2]));
  for (int i = 0; i < 3; ++i) encoderSsem[i] = register_module("ssem" + nodeName(i, 0), SsemBlock(ssemOptions(width[i])));
  patch_embed3 = register_module("patch_embed3", PatchEmbed(e0, e1));
  patch_embed4 = register_module("patch_embed4", PatchEmbed(e1, e2));
  block1 = register_module("block1", KANBlock(e1, o.dropPath));
  block2 = register_module("block2", KANBlock(e2, o.dropPath));
  norm3 = register_module("norm3", nn::LayerNorm(nn::LayerNormOptions({e1})));
  norm4 = register_module("norm4", nn::LayerNorm(nn::LayerNormOptions({e2})));

  for (int j = 1; j <= 4; ++j)
    for (int i = 0; i + j <= 4; ++i) {
      if (!o.denseSkips && i + j != 4) continue;
      DecoderNode node;
      const auto name = nodeName(i, j);
      node.up = register_module("up" + name, decoderDoubleConv(width[i + 1], width[i]));
      if (i <= 2) node.ssem = register_module("ssem" + name, SsemBlock(ssemOptions(width[i])));
      if (i >= 2) {
        node.kan = register_module("dblock" + name, KANBlock(width[i], o.dropPath));
        node.kanNorm = register_module("dnorm" + name, nn::LayerNorm(nn::LayerNormOptions({width[i]})));
      }
      nodes_.emplace(std::make_pair(i, j), node);
    }
  decoder5 = register_module("decoder5", decoderDoubleConv(width[0], width[0]));
  final_conv = register_module("final_conv", nn::Conv2d(nn::Conv2dOptions(width[0], o.classes, 1)));
}

torch::Tensor KmUnetNetworkImpl::refine(const DecoderNode& node, const torch::Tensor& x) {
  auto out = node.ssem ? node.ssem.ptr()->forward(x) : x;
  if (node.kan) {
    const auto h = out.size(2), w = out.size(3);
    out = tokensToImage(node.kanNorm.ptr()->forward(node.kan.ptr()->forward(imageToTokens(out), h, w)), h, w);
  }
  return out;
}

torch::Tensor KmUnetNetworkImpl::forward(const torch::Tensor& image) {
  if (image.dim() != 4 || image.size(1) != options_.inChannels)
    throw std::invalid_argument("KM-UNet expects [B, " + std::to_string(options_.inChannels) + ", H, W]");
  if (image.size(2) % 32 != 0 || image.size(3) % 32 != 0)
    throw std::invalid_argument("KM-UNet needs an input size that is a multiple of 32");

  // grid[i] holds X_{i,0}, X_{i,1}, ... as they are computed.
  std::array<std::vector<torch::Tensor>, 5> grid;
  grid[0].push_back(encoderSsem[0](downStage(encoder1, toChannelsLast(image))));
  grid[1].push_back(encoderSsem[1](downStage(encoder2, grid[0][0])));
  grid[2].push_back(encoderSsem[2](downStage(encoder3, grid[1][0])));
  Tokens tokens = patch_embed3(grid[2][0]);
  grid[3].push_back(tokensToImage(norm3(block1(tokens.values, tokens.height, tokens.width)), tokens.height, tokens.width));
  tokens = patch_embed4(grid[3][0]);
  grid[4].push_back(tokensToImage(norm4(block2(tokens.values, tokens.height, tokens.width)), tokens.height, tokens.width));

  // Column by column; without dense skips only the diagonal i + j = 4 exists, and then grid[i]
  // holds just X_{i,0} when X_{i,j} is formed, so the sum below is U-Net's single skip.
  for (int j = 1; j <= 4; ++j)
    for (int i = 0; i + j <= 4; ++i) {
      const auto found = nodes_.find({i, j});
      if (found == nodes_.end()) continue;
      auto sum = upStage(found->second.up, grid[i + 1].back()); // X_{i+1,j−1}
      for (const auto& sameRow : grid[i]) sum = sum + sameRow;  // Σ_{k<j} X_{i,k}
      grid[i].push_back(refine(found->second, sum));
    }
  return final_conv(upStage(decoder5, grid[0].back()));
}

} // namespace medclick
