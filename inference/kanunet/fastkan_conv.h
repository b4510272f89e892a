#pragma once
// FastKANConvLayer (KANU-Net, kanu-net-small-samples-brain-mri.md; FastKAN's radial bases in a
// convolution, as KA-Conv writes it): a KAN whose edge functions are sums of Gaussian radial basis
// functions on a fixed grid, applied as a convolution:
//   φ_i(x) = exp(−((x − c_i) / σ)²),  c_i on a uniform grid of n points in [grid_min, grid_max],
//            σ = (grid_max − grid_min) / (n − 1)                     (the paper: n = 4 on [−1, 1])
//   y = spline_conv([φ_1(LN(x)), …, φ_n(LN(x))]) + base_conv(SiLU(x))
// LN is a LayerNorm over the channels of each pixel (FastKAN's), which keeps the inputs on the grid.
// As in FastKAN, the base branch sees x itself, and there is no LayerNorm for a single input channel
// (it would map every pixel to its bias).
// Basis channels are grid-major (channel i·C + c holds φ_i of input channel c), as KA-Conv's.

#include <torch/torch.h>

namespace medclick {

// exp(−((x − centres) / sigma)²), x and centres broadcast against each other.
torch::Tensor radialBasis(const torch::Tensor& x, const torch::Tensor& centres, double sigma);

struct FastKanConvOptions {
  FastKanConvOptions(int64_t in, int64_t out, int64_t kernel = 3) : inChannels(in), outChannels(out), kernelSize(kernel) {}
  int64_t inChannels;
  int64_t outChannels;
  int64_t kernelSize;
  int64_t numGrids = 4;
  double gridMin = -1.0, gridMax = 1.0;
  double splineWeightInitScale = 0.1; // spline_conv weights ~ N(0, 0.1²), as KA-Conv

  double sigma() const { return (gridMax - gridMin) / static_cast<double>(numGrids - 1); }
};

class FastKanConvImpl : public torch::nn::Module {
public:
  explicit FastKanConvImpl(const FastKanConvOptions& options);
  torch::Tensor forward(const torch::Tensor& x); // [B, C_in, H, W] -> [B, C_out, H, W] ("same" padding)
  // [B, n·C_in, H, W]: the bases of the normalized input, grid-major.
  torch::Tensor expandedBases(const torch::Tensor& x);
  const FastKanConvOptions& options() const { return options_; }

  torch::nn::LayerNorm layernorm{nullptr}; // absent for one input channel
  torch::Tensor grid;                      // [n] centres, fixed
  torch::nn::Conv2d spline_conv{nullptr};  // n·C_in -> C_out
  torch::nn::Conv2d base_conv{nullptr};    // C_in -> C_out

private:
  FastKanConvOptions options_;
};
TORCH_MODULE(FastKanConv);

} // namespace medclick
