#pragma once
// KANU-Net 2D (kanu-net-small-samples-brain-mri.md; Jaouad's KANU_Net): a U-Net whose convolutions
// are FastKANConvLayers. Encoder: DoubleConv, then four × [max-pool 2, DoubleConv]; decoder: four ×
// [bilinear up-sampling ×2, concatenation with the encoder feature of that size (U-Net's skip
// connections), DoubleConv]; a 1×1 FastKANConvLayer to the classes.
//   DoubleConv(in, out) = FastKANConv 3×3 (in → out/2) – BN – ReLU – FastKANConv 3×3 (out/2 → out) – BN – ReLU
// Widths w, 2w, 4w, 8w and 8w at the bottom (bilinear up-sampling halves the last width, as U-Net).
// Input channels = the MRI modalities; one logit per class and pixel (BraTS: WT, TC, ET, each
// binary, hence sigmoid).

#include "kanunet/fastkan_conv.h"

#include "nn/batch_norm.h"

#include <torch/torch.h>

#include <array>
#include <string>

namespace medclick {

struct KanUnetOptions {
  std::string variant = "paper";
  int64_t inChannels = 4;  // modalities
  int64_t classes = 3;
  int64_t baseWidth = 64;  // w
  int64_t numGrids = 4;
  double gridMin = -1.0, gridMax = 1.0;

  static KanUnetOptions paper(); // KANU_Net's widths (64 … 512)
  static KanUnetOptions small(); // a quarter of them: for a CPU
  static KanUnetOptions named(const std::string& variant); // "paper" or "small"; throws otherwise
};

class KanDoubleConvImpl : public torch::nn::Module {
public:
  KanDoubleConvImpl(int64_t in, int64_t out, const KanUnetOptions& grid);
  torch::Tensor forward(const torch::Tensor& x);
  FastKanConv conv1{nullptr}, conv2{nullptr};
  BatchNorm bn1{nullptr}, bn2{nullptr};
};
TORCH_MODULE(KanDoubleConv);

class KanUnetNetworkImpl : public torch::nn::Module {
public:
  explicit KanUnetNetworkImpl(const KanUnetOptions& options = KanUnetOptions::paper());
  // image [B, modalities, H, W] (any H, W ≥ 16) -> logits [B, classes, H, W]
  torch::Tensor forward(const torch::Tensor& image);
  const KanUnetOptions& options() const { return options_; }

  KanDoubleConv inc{nullptr};
  std::array<KanDoubleConv, 4> down{KanDoubleConv{nullptr}, KanDoubleConv{nullptr}, KanDoubleConv{nullptr}, KanDoubleConv{nullptr}};
  std::array<KanDoubleConv, 4> up{KanDoubleConv{nullptr}, KanDoubleConv{nullptr}, KanDoubleConv{nullptr}, KanDoubleConv{nullptr}};
  FastKanConv outc{nullptr};

private:
  KanUnetOptions options_;
};
TORCH_MODULE(KanUnetNetwork);

} // namespace medclick
