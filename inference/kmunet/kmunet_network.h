#pragma once
// KM-UNet (km-unet-kan-ss2d-ema-report.md §3.2, Zhang 2025): U-KAN's layout with a Selective-Scan
// Efficient Multi-scale module (SS2D + EMA, kmunet/ssem_block.h) after each convolutional encoder
// stage, whose output is both the next stage's input and the skip, and after each matching decoder
// skip-addition. KM-UNet++ (§3.3) replaces the single skip path by UNet++'s dense grid.
//
// Nodes X_{i,j}: level i (0: 1/2, 1: 1/4, 2: 1/8, 3: 1/16 tokens, 4: 1/32 KAN bottleneck), column j.
//   X_{0..2,0} = SSEM(conv stage i)                X_{3,0}, X_{4,0}: PatchEmbed + KAN block + LayerNorm
//   X_{i,j}   = refine_i( ReLU(up2(D-Conv(X_{i+1,j−1}))) + Σ_{k<j} X_{i,k} )
//   refine_i  = SSEM at levels 0–2, then (levels 2–3) a KAN block + LayerNorm as U-KAN's decoder
// KM-UNet computes only the nodes with i + j = 4 (the U-Net path; Σ has the one term X_{i,0});
// KM-UNet++ computes every node with i + j ≤ 4. Output: 1×1 conv on up2(D-Conv(X_{0,4})).

#include "kan/kan_block.h"
#include "kmunet/ssem_block.h"

#include <torch/torch.h>

#include <array>
#include <map>
#include <string>
#include <utility>

namespace medclick {

struct KmUnetOptions {
  std::string variant = "paper";
  int64_t inChannels = 3;
  int64_t classes = 1;                            // logits per pixel (1: sigmoid, >1: softmax)
  std::array<int64_t, 3> embedDims{128, 160, 256}; // conv stages e0/8, e0/4, e0; token stages e1, e2
  int64_t dState = 16;                            // SS2D's N
  int64_t ssmExpand = 2;                          // SS2D's d_inner / d_model
  int64_t emaGroups = 8;
  bool denseSkips = false;                        // KM-UNet++
  double dropPath = 0.0;
  ScanKernel scanKernel = ScanKernel::Auto;

  static KmUnetOptions paper(); // U-KAN's trained widths with VMamba's SS2D sizes: for a GPU
  static KmUnetOptions small(); // for a CPU
  static KmUnetOptions named(const std::string& variant); // "paper", "small", "++" for KM-UNet++; throws otherwise
};

class KmUnetNetworkImpl : public torch::nn::Module {
public:
  explicit KmUnetNetworkImpl(const KmUnetOptions& options = KmUnetOptions::paper());

  // image [B, C_in, H, W], H and W multiples of 32 -> logits [B, classes, H, W]
  torch::Tensor forward(const torch::Tensor& image);
  const KmUnetOptions& options() const { return options_; }

  torch::nn::Sequential encoder1{nullptr}, encoder2{nullptr}, encoder3{nullptr};
  std::array<SsemBlock, 3> encoderSsem{SsemBlock{nullptr}, SsemBlock{nullptr}, SsemBlock{nullptr}}; // X_{0..2,0}
  PatchEmbed patch_embed3{nullptr}, patch_embed4{nullptr};
  KANBlock block1{nullptr}, block2{nullptr};
  torch::nn::LayerNorm norm3{nullptr}, norm4{nullptr};
  torch::nn::Sequential decoder5{nullptr};
  torch::nn::Conv2d final_conv{nullptr};

  struct DecoderNode {
    torch::nn::Sequential up{nullptr};      // D-ConvLayer from level i+1's width to level i's
    SsemBlock ssem{nullptr};                // levels 0–2
    KANBlock kan{nullptr};                  // levels 2–3
    torch::nn::LayerNorm kanNorm{nullptr};
  };
  const std::map<std::pair<int, int>, DecoderNode>& decoderNodes() const { return nodes_; }

private:
  torch::Tensor refine(const DecoderNode& node, const torch::Tensor& x);
  KmUnetOptions options_;
  std::map<std::pair<int, int>, DecoderNode> nodes_;
};
TORCH_MODULE(KmUnetNetwork);

} // namespace medclick
