#include "mamba/ss2d.h"

#include <cmath>

namespace medclick {

namespace nn = torch::nn;

torch::Tensor crossScan(const torch::Tensor& x) {
  const auto batch = x.size(0), channels = x.size(1), length = x.size(2) * x.size(3);
  const auto rowMajor = x.reshape({batch, channels, length});
  const auto columnMajor = x.transpose(2, 3).reshape({batch, channels, length});
  const auto forwardOrders = torch::stack({rowMajor, columnMajor}, 1);
  return torch::cat({forwardOrders, forwardOrders.flip({-1})}, 1);
}

torch::Tensor crossMerge(const torch::Tensor& y, int64_t height, int64_t width) {
  const auto batch = y.size(0), channels = y.size(2);
  const auto forwardOrders = y.narrow(1, 0, 2) + y.narrow(1, 2, 2).flip({-1}); // reversed orders turned back
  const auto rowMajor = forwardOrders.select(1, 0).reshape({batch, channels, height, width});
  const auto columnMajor = forwardOrders.select(1, 1).reshape({batch, channels, width, height}).transpose(2, 3);
  return rowMajor + columnMajor;
}

SS2DImpl::SS2DImpl(const SS2DOptions& o) : options_(o) {
  const auto d = o.innerDim(), rank = o.rank(), state = o.dState;
  in_proj = register_module("in_proj", nn::Linear(nn::LinearOptions(o.dModel, 2 * d).bias(false)));
  conv2d = register_module("conv2d", nn::Conv2d(nn::Conv2dOptions(d, d, o.dConv).padding((o.dConv - 1) / 2).groups(d)));
  x_proj_weight = register_parameter("x_proj_weight", torch::empty({kScanOrders, rank + 2 * state, d}));
  dt_projs_weight = register_parameter("dt_projs_weight", torch::empty({kScanOrders, d, rank}));
  dt_projs_bias = register_parameter("dt_projs_bias", torch::empty({kScanOrders, d}));
  A_logs = register_parameter("A_logs", torch::log(torch::arange(1, state + 1, torch::kFloat32)).repeat({kScanOrders * d, 1}));
  Ds = register_parameter("Ds", torch::ones({kScanOrders * d}));
  out_norm = register_module("out_norm", nn::LayerNorm(nn::LayerNormOptions({d})));
  out_proj = register_module("out_proj", nn::Linear(nn::LinearOptions(d, o.dModel).bias(false)));

  torch::NoGradGuard noGrad;
  const double xBound = 1.0 / std::sqrt(static_cast<double>(d)); // nn.Linear(d_inner, R + 2N) per order
  x_proj_weight.uniform_(-xBound, xBound);
  const double dtBound = 1.0 / std::sqrt(static_cast<double>(rank)); // keeps Δ's variance at the start
  dt_projs_weight.uniform_(-dtBound, dtBound);
  // Δ0 log-uniform in [dtMin, dtMax]; the bias is softplus⁻¹(Δ0) = Δ0 + log(1 − e^−Δ0).
  const auto dt = torch::exp(torch::rand({kScanOrders, d}) * (std::log(o.dtMax) - std::log(o.dtMin)) + std::log(o.dtMin))
                      .clamp_min(o.dtInitFloor);
  dt_projs_bias.copy_(dt + torch::log(-torch::expm1(-dt)));
}

SelectiveScanInputs SS2DImpl::scanInputs(const torch::Tensor& x) const {
  const auto batch = x.size(0), d = x.size(1), length = x.size(2) * x.size(3);
  const auto rank = options_.rank(), state = options_.dState;
  const auto sequences = crossScan(x);                                 // [B, 4, d, L]
  const auto projected = torch::matmul(x_proj_weight, sequences);      // [B, 4, R + 2N, L]
  SelectiveScanInputs in;
  in.u = sequences.reshape({batch, kScanOrders * d, length});
  in.delta = torch::matmul(dt_projs_weight, projected.narrow(2, 0, rank)).reshape({batch, kScanOrders * d, length});
  in.B = projected.narrow(2, rank, state);
  in.C = projected.narrow(2, rank + state, state);
  in.A = -torch::exp(A_logs);
  in.D = Ds;
  in.deltaBias = dt_projs_bias.reshape({-1});
  in.deltaSoftplus = true;
  return in;
}

torch::Tensor SS2DImpl::forward(const torch::Tensor& input) {
  const auto batch = input.size(0), height = input.size(1), width = input.size(2);
  const auto halves = in_proj(input).chunk(2, -1);
  const auto x = torch::silu(conv2d(halves[0].permute({0, 3, 1, 2}).contiguous(torch::MemoryFormat::ChannelsLast)));
  const auto y = selectiveScan(scanInputs(x), options_.kernel).reshape({batch, kScanOrders, options_.innerDim(), height * width});
  const auto merged = crossMerge(y, height, width).permute({0, 2, 3, 1}); // [B, H, W, d_inner]
  return out_proj(out_norm(merged) * torch::silu(halves[1]));
}

} // namespace medclick
