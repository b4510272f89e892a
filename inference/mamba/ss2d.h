#pragma once
// SS2D, VMamba's 2D selective scan (Liu et al. 2024), as KM-UNet uses it:
//   x, z = in_proj(input)                        (two halves of one linear map, width d_inner each)
//   x = SiLU(depth-wise conv k×k (x))
//   four sequences of the grid: row-major, column-major, and both reversed (cross-scan)
//   per order k: Δ, B, C from x (x_proj, then dt_proj for Δ), y_k = selective scan (mamba/selective_scan.h)
//   y = Σ_k y_k put back on the grid (cross-merge), LayerNorm
//   output = out_proj(y ⊙ SiLU(z))
// Parameter names follow VMamba's SS2D (x_proj_weight, dt_projs_weight, A_logs, Ds, ...), so its
// trained weights load here as they are.

#include "mamba/selective_scan.h"

#include <torch/torch.h>

namespace medclick {

// [B, d, H, W] -> [B, 4, d, H·W]: order 0 row-major, 1 column-major, 2 and 3 the same reversed.
torch::Tensor crossScan(const torch::Tensor& x);
// [B, 4, d, H·W] -> [B, d, H, W]: each order's value put back at its pixel, the four summed (the
// adjoint of crossScan).
torch::Tensor crossMerge(const torch::Tensor& y, int64_t height, int64_t width);

struct SS2DOptions {
  explicit SS2DOptions(int64_t dModel) : dModel(dModel) {}
  int64_t dModel;
  int64_t dState = 16;   // N
  int64_t dConv = 3;
  int64_t expand = 2;    // d_inner = expand · d_model
  int64_t dtRank = 0;    // 0: ⌈d_model / 16⌉, as VMamba
  double dtMin = 0.001, dtMax = 0.1, dtInitFloor = 1e-4;
  ScanKernel kernel = ScanKernel::Auto;

  int64_t innerDim() const { return expand * dModel; }
  int64_t rank() const { return dtRank > 0 ? dtRank : (dModel + 15) / 16; }
};

class SS2DImpl : public torch::nn::Module {
public:
  static constexpr int64_t kScanOrders = 4;

  explicit SS2DImpl(const SS2DOptions& options);
  torch::Tensor forward(const torch::Tensor& x); // [B, H, W, d_model] -> [B, H, W, d_model]

  // The scan's inputs for the four orders of x = SiLU(conv(...)) [B, d_inner, H, W]: G = 4 groups,
  // D = 4·d_inner channels (order-major).
  SelectiveScanInputs scanInputs(const torch::Tensor& x) const;
  const SS2DOptions& options() const { return options_; }
  void setScanKernel(ScanKernel kernel) { options_.kernel = kernel; }

  torch::nn::Linear in_proj{nullptr};
  torch::nn::Conv2d conv2d{nullptr};
  torch::Tensor x_proj_weight;   // [4, R + 2N, d_inner]
  torch::Tensor dt_projs_weight; // [4, d_inner, R]
  torch::Tensor dt_projs_bias;   // [4, d_inner]: softplus⁻¹ of a step log-uniform in [dtMin, dtMax]
  torch::Tensor A_logs;          // [4·d_inner, N]: A = −exp(A_logs), S4D-real start A_n = −n
  torch::Tensor Ds;              // [4·d_inner]
  torch::nn::LayerNorm out_norm{nullptr};
  torch::nn::Linear out_proj{nullptr};

private:
  SS2DOptions options_;
};
TORCH_MODULE(SS2D);

} // namespace medclick
