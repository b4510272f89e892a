#pragma once
// WTConv (Finder et al., ECCV 2024) with one Haar level, as IKAN puts wavelet convolutions inside
// U-KAN's KAN blocks: a depth-wise k×k convolution of the input plus, in the Haar domain, a
// depth-wise convolution of the four sub-bands, brought back by the inverse transform. The wavelet
// branch sees twice the receptive field at the same kernel size.

#include <torch/torch.h>

namespace medclick {

// Orthonormal Haar analysis: [B, C, H, W] (H, W even) -> [B, C, 4, H/2, W/2] (LL, LH, HL, HH).
torch::Tensor haarForward(const torch::Tensor& x);
// Its exact inverse: [B, C, 4, h, w] -> [B, C, 2h, 2w].
torch::Tensor haarInverse(const torch::Tensor& bands);

struct WaveletConvOptions {
  WaveletConvOptions(int64_t channels, int64_t kernel = 3) : channels(channels), kernelSize(kernel) {}
  int64_t channels;
  int64_t kernelSize;
};

class WaveletConvImpl : public torch::nn::Module {
public:
  explicit WaveletConvImpl(const WaveletConvOptions& options);
  torch::Tensor forward(const torch::Tensor& x); // any H, W: odd sizes are padded, then cropped

  torch::nn::Conv2d base_conv{nullptr};    // depth-wise, on the input
  torch::nn::Conv2d wavelet_conv{nullptr}; // depth-wise, on the 4C sub-bands
  torch::Tensor base_scale;                // [1, C, 1, 1], starts at 1
  torch::Tensor wavelet_scale;             // [1, 4C, 1, 1], starts at 0.1 as in WTConv
};
TORCH_MODULE(WaveletConv);

} // namespace medclick
