#include "kanunet/kanunet_network.h"

#include "nn/channels_last.h"

#include <stdexcept>

namespace medclick {

namespace nn = torch::nn;
namespace F = torch::nn::functional;

KanUnetOptions KanUnetOptions::paper() { return KanUnetOptions{}; }

KanUnetOptions KanUnetOptions::small() {
  KanUnetOptions o;
  o.variant = "small";
  o.baseWidth = 16;
  return o;
}

KanUnetOptions KanUnetOptions::named(const std::string& variant) {
  if (variant == "paper") return paper();
  if (variant == "small") return small();
  throw std::invalid_argument("unknown KANU-Net variant '" + variant + "' (use paper or small)");
}

namespace {

FastKanConvOptions kanConv(int64_t in, int64_t out, int64_t kernel, const KanUnetOptions& o) {
  FastKanConvOptions c(in, out, kernel);
  c.numGrids = o.numGrids;
  c.gridMin = o.gridMin;
  c.gridMax = o.gridMax;
  return c;
}

// Bilinear ×2 (corners aligned, as KANU_Net), padded to the skip's size when the skip is odd.
torch::Tensor upTo(const torch::Tensor& x, const torch::Tensor& skip) {
  auto up = F::interpolate(x, F::InterpolateFuncOptions()
                                  .size(std::vector<int64_t>{x.size(2) * 2, x.size(3) * 2})
                                  .mode(torch::kBilinear)
                                  .align_corners(true));
  const auto dy = skip.size(2) - up.size(2), dx = skip.size(3) - up.size(3);
  if (dy != 0 || dx != 0) up = F::pad(up, F::PadFuncOptions({dx / 2, dx - dx / 2, dy / 2, dy - dy / 2}));
  return up;
}

} // namespace

KanDoubleConvImpl::KanDoubleConvImpl(int64_t in, int64_t out, const KanUnetOptions& o) {
  conv1 = register_module("conv1", FastKanConv(kanConv(in, out / 2, 3, o)));
  bn1 = register_module("bn1", BatchNorm(out / 2));
  conv2 = register_module("conv2", FastKanConv(kanConv(out / 2, out, 3, o)));
  bn2 = register_module("bn2", BatchNorm(out));
}

torch::Tensor KanDoubleConvImpl::forward(const torch::Tensor& x) {
  return torch::relu(bn2(conv2(torch::relu(bn1(conv1(x))))));
}

KanUnetNetworkImpl::KanUnetNetworkImpl(const KanUnetOptions& o) : options_(o) {
  const auto w = o.baseWidth;
  const std::array<int64_t, 5> width{w, 2 * w, 4 * w, 8 * w, 8 * w}; // the bottom halved for bilinear up-sampling
  inc = register_module("inc", KanDoubleConv(o.inChannels, width[0], o));
  for (int i = 0; i < 4; ++i) down[i] = register_module("down" + std::to_string(i + 1), KanDoubleConv(width[i], width[i + 1], o));
  // up k joins level 4−k (after up-sampling) with skip level 3−k; out: the skip level's width, halved
  // except for the last.
  for (int k = 0; k < 4; ++k) {
    const int skip = 3 - k;
    const int64_t out = skip == 0 ? width[0] : width[skip] / 2;
    const int64_t in = width[skip] + (k == 0 ? width[4] : width[skip + 1] / 2);
    up[k] = register_module("up" + std::to_string(k + 1), KanDoubleConv(in, out, o));
  }
  outc = register_module("outc", FastKanConv(kanConv(width[0], o.classes, 1, o)));
}

torch::Tensor KanUnetNetworkImpl::forward(const torch::Tensor& image) {
  if (image.dim() != 4 || image.size(1) != options_.inChannels)
    throw std::invalid_argument("KANU-Net expects [B, " + std::to_string(options_.inChannels) + ", H, W]");
  if (image.size(2) < 16 || image.size(3) < 16) throw std::invalid_argument("KANU-Net needs at least 16×16 pixels");
  std::array<torch::Tensor, 5> skips;
  skips[0] = inc(toChannelsLast(image));
  for (int i = 0; i < 4; ++i) skips[i + 1] = down[i](F::max_pool2d(skips[i], F::MaxPool2dFuncOptions(2).stride(2)));
  auto x = skips[4];
  for (int k = 0; k < 4; ++k) {
    const auto& skip = skips[3 - k];
    x = up[k](concatenateChannels({skip, upTo(x, skip)}));
  }
  return outc(x);
}

} // namespace medclick
