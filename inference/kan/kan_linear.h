#pragma once
// KANLinear (Liu et al. 2024, as U-KAN uses it through efficient-kan): each output is a sum over
// inputs of learnable 1D functions, written as a SiLU base term plus a cubic B-spline term:
//   y = W_base · SiLU(x) + (W_spline ⊙ scaler) · B(x)
// Parameter names follow efficient-kan (base_weight, spline_weight, spline_scaler, grid) so U-KAN
// weights trained in PyTorch load as they are.

#include "kan/b_spline_bases.h"

#include <torch/torch.h>

namespace medclick {

struct KANLinearOptions {
  KANLinearOptions(int64_t in, int64_t out) : inFeatures(in), outFeatures(out) {}
  int64_t inFeatures;
  int64_t outFeatures;
  SplineGrid grid{};
};

class KANLinearImpl : public torch::nn::Module {
public:
  explicit KANLinearImpl(const KANLinearOptions& options);
  torch::Tensor forward(const torch::Tensor& x); // [..., in] -> [..., out]

  torch::Tensor base_weight;   // [out, in]
  torch::Tensor spline_weight; // [out, in, G + k]
  torch::Tensor spline_scaler; // [out, in]
  torch::Tensor grid;          // [in, knots], fixed: the uniform grid every input uses

private:
  KANLinearOptions options_;
};
TORCH_MODULE(KANLinear);

} // namespace medclick
