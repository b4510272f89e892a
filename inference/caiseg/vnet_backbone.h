#pragma once
// CAISeg's feature extractor (§III-B, §IV-B1): V-Net (Milletari et al. 2016), a 3D residual
// encoder–decoder, with a width multiplier.
//
//   InputTransition   conv k³ 1→w, BN, PReLU, plus the input repeated w times (residual)
//   DownTransition    conv 2³ stride 2 (doubles the width), BN, PReLU, then n × LUConv, residual
//   UpTransition      transposed conv 2³ stride 2 to half the output width, BN, PReLU, concatenated
//                     with the encoder's skip of the same level, then n × LUConv, residual
//   LUConv            conv k³, BN, PReLU
//
// With `levels` = 5 the encoder runs at strides 1, 2, 4, 8, 16 with widths w, 2w, 4w, 8w, 16w
// (V-Net: w = 16, k = 5, encoder convs 1, 2, 3, 2, decoder convs 2, 2, 1, 1). The backbone stops at
// stride 2: it returns the bottleneck and the decoder outputs at strides 16, 8, 4, 2 (widths 16w,
// 16w, 8w, 4w), which the multi-scale cross-attention reads, and the last of them is CAISeg's
// feature map F. V-Net's last up transition (to stride 1) and its output transition belong to
// CAISeg's head, which runs on the adjusted map F_new.
//
// Anisotropic data (§IV-B1: F is D×H/2×W/2 when the slice axis is coarser): the first
// down-sampling then has stride (1, 2, 2) and the others (2, 2, 2), so F keeps every slice while the
// coarser levels still halve the depth (decoder depth strides 8, 4, 2, 1 against in-plane 16, 8, 4,
// 2). Halving the depth only once, at the first level, is the smallest change that gives F the
// paper's size; deeper levels need the depth context more than the slice resolution.

#include "inference/caiseg/caiseg_prompt.h"

#include "nn/batch_norm.h"

#include <torch/torch.h>

#include <array>
#include <vector>

namespace medclick {

using Stride3 = std::array<int64_t, 3>; // (z, y, x)

struct VnetOptions {
  int64_t inChannels = 1;
  int64_t baseWidth = 16;                       // w: V-Net's 16
  int64_t levels = 5;                           // resolution levels (strides 1 … 2^(levels−1))
  int64_t kernelSize = 5;                       // V-Net's 5³; 3³ is ~4.6× cheaper
  std::vector<int64_t> encoderConvs{1, 2, 3, 2}; // LUConvs of each down transition, fine to coarse
  std::vector<int64_t> decoderConvs{2, 2, 1, 1}; // of each up transition, coarse to fine (the last: CAISeg's
                                                // full-resolution head's, when it has one)
  bool anisotropic = false;                     // first down-sampling (1, 2, 2): F keeps every slice

  int64_t widthAt(int64_t level) const { return baseWidth << level; }
  // The stride of the down-sampling into `level` (1 … levels−1).
  Stride3 downStride(int64_t level) const;
  // The size of the grid at `level` relative to the input, per axis (z, y, x).
  Stride3 cumulativeStride(int64_t level) const;
};

// §IV-B1 leaves the choice to the data set: the slice axis is "coarser" here when halving it would
// make F's voxels more anisotropic than keeping it, i.e. when s_z / max(s_y, s_x) > √2 (MSD colon
// 5.0/0.78, lung 1.24/0.79 and pancreas 2.5/0.8 are anisotropic; the 1.5 mm isotropic brain data is not).
bool sliceAxisIsCoarse(const VoxelSpacing& spacing);

class LUConvImpl : public torch::nn::Module {
public:
  LUConvImpl(int64_t channels, int64_t kernelSize);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Conv3d conv{nullptr};
  BatchNorm bn{nullptr};
  torch::nn::PReLU relu{nullptr};
};
TORCH_MODULE(LUConv);

class InputTransitionImpl : public torch::nn::Module {
public:
  InputTransitionImpl(int64_t inChannels, int64_t width, int64_t kernelSize);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Conv3d conv{nullptr};
  BatchNorm bn{nullptr};
  torch::nn::PReLU relu{nullptr};

private:
  int64_t width_;
};
TORCH_MODULE(InputTransition);

class DownTransitionImpl : public torch::nn::Module {
public:
  DownTransitionImpl(int64_t inChannels, int64_t convs, int64_t kernelSize, Stride3 stride);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Conv3d down_conv{nullptr};
  BatchNorm bn{nullptr};
  torch::nn::PReLU relu1{nullptr}, relu2{nullptr};
  torch::nn::Sequential ops{nullptr};
};
TORCH_MODULE(DownTransition);

class UpTransitionImpl : public torch::nn::Module {
public:
  UpTransitionImpl(int64_t inChannels, int64_t outChannels, int64_t convs, int64_t kernelSize, Stride3 stride);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& skip);
  torch::nn::ConvTranspose3d up_conv{nullptr};
  BatchNorm bn{nullptr};
  torch::nn::PReLU relu1{nullptr}, relu2{nullptr};
  torch::nn::Sequential ops{nullptr};
};
TORCH_MODULE(UpTransition);

// V-Net's output transition: conv k³ width→2, BN, PReLU, conv 1³ 2→2: two-class logits.
class OutputTransitionImpl : public torch::nn::Module {
public:
  OutputTransitionImpl(int64_t inChannels, int64_t kernelSize);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Conv3d conv1{nullptr}, conv2{nullptr};
  BatchNorm bn{nullptr};
  torch::nn::PReLU relu{nullptr};
};
TORCH_MODULE(OutputTransition);

struct VnetFeatures {
  std::vector<torch::Tensor> decoder; // strides 16, 8, 4, 2 (coarse to fine) for levels = 5; back() is F
  torch::Tensor fullResolution;       // the input transition's output: the skip of the head at stride 1

  const torch::Tensor& featureMap() const { return decoder.back(); }
};

class VnetBackboneImpl : public torch::nn::Module {
public:
  explicit VnetBackboneImpl(const VnetOptions& options = VnetOptions{});
  // volume [B, inChannels, D, H, W]; D, H, W multiples of the coarsest level's stride (else throws).
  VnetFeatures forward(const torch::Tensor& volume);

  // F's width (4w for 5 levels) and its stride relative to the input: (2, 2, 2) or (1, 2, 2).
  int64_t featureChannels() const { return options_.widthAt(2); }
  Stride3 featureStride() const { return options_.cumulativeStride(1); }
  // The widths of forward()'s decoder features, coarse to fine.
  std::vector<int64_t> decoderWidths() const;
  const VnetOptions& options() const { return options_; }

  InputTransition in_tr{nullptr};
  torch::nn::ModuleList down{nullptr}; // DownTransition into levels 1 … levels−1
  torch::nn::ModuleList up{nullptr};   // UpTransition into levels levels−2 … 1

private:
  VnetOptions options_;
};
TORCH_MODULE(VnetBackbone);

} // namespace medclick
