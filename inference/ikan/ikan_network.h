#pragma once
// IKAN (Fig. 1): HICAM on [X_image, X_coord, X_prev] → U-KAN backbone (three conv stages, MSCA,
// tokenized KAN stages with wavelet convolutions, KAN bottleneck) → AFF fusion with a ResNet side
// branch on [X_image, X_coord, X_modprev] at the bottleneck → U-KAN decoder → 1×1 conv → 2 classes.
// The input side (click disks and modulation) is part of the model, so training and the engine
// build X_coord and X_modprev the same way.

#include "inference/ikan/aff_fusion.h"
#include "inference/ikan/hicam.h"
#include "inference/ikan/modulation.h"
#include "inference/ikan/msca.h"
#include "inference/ikan/side_branch.h"
#include "kan/kan_block.h"

#include <torch/torch.h>

#include <array>
#include <string>

namespace medclick {

struct IkanOptions {
  std::string variant = "paper";
  // U-KAN widths: conv stages e0/8, e0/4, e0; token stages e1, e2. U-KAN trains with {128, 160, 256}.
  std::array<int64_t, 3> embedDims{128, 160, 256};
  int64_t hicamBranchChannels = 8;
  std::array<int64_t, 4> sideWidths{16, 32, 64, 128};
  int64_t inputSize = 256;        // network resolution (a multiple of 32)
  double clickRadius = 5.0;       // disk radius in pixels at 256, scaled with inputSize
  double dropPath = 0.0;
  ModulationOptions modulation{};

  static IkanOptions paper();     // U-KAN's trained widths: for a GPU
  static IkanOptions small();     // for interactive use on a CPU
  static IkanOptions named(const std::string& variant); // "paper" or "small"; throws otherwise
};

struct IkanInput {
  torch::Tensor image;             // [B, 3, H, W], normalized
  torch::Tensor clickMaps;         // [B, 2, H, W]
  torch::Tensor previous;          // [B, 1, H, W], X_prev
  torch::Tensor modulatedPrevious; // [B, 1, H, W], X_modprev
};

class IkanNetworkImpl : public torch::nn::Module {
public:
  explicit IkanNetworkImpl(const IkanOptions& options = IkanOptions::paper());

  // Logits [B, 2, H, W]; the foreground probability is softmax(logits)[:, 1].
  torch::Tensor forward(const IkanInput& input);

  // X_coord and X_modprev from clicks in network pixels. previous: [B, 1, H, W]; clicks and
  // firstNewClick per sample (the clicks from firstNewClick on are the round's new ones).
  IkanInput prepareInput(const torch::Tensor& image, const torch::Tensor& previous,
                         const std::vector<ClickList>& clicks, const std::vector<size_t>& firstNewClick) const;

  static torch::Tensor foregroundProbability(const torch::Tensor& logits);
  const IkanOptions& options() const { return options_; }

  Hicam hicam{nullptr};
  torch::nn::Sequential encoder1{nullptr}, encoder2{nullptr}, encoder3{nullptr};
  MultiScaleAttention msca{nullptr};
  PatchEmbed patch_embed3{nullptr}, patch_embed4{nullptr};
  KANBlock block1{nullptr}, block2{nullptr}, dblock1{nullptr}, dblock2{nullptr};
  torch::nn::LayerNorm norm3{nullptr}, norm4{nullptr}, dnorm3{nullptr}, dnorm4{nullptr};
  SideBranch side_branch{nullptr};
  AffFusion fusion{nullptr};
  torch::nn::Sequential decoder1{nullptr}, decoder2{nullptr}, decoder3{nullptr}, decoder4{nullptr}, decoder5{nullptr};
  torch::nn::Conv2d final_conv{nullptr};

private:
  IkanOptions options_;
};
TORCH_MODULE(IkanNetwork);

} // namespace medclick
