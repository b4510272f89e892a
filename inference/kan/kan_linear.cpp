#include "kan/kan_linear.h"

#include <cmath>

namespace medclick {

KANLinearImpl::KANLinearImpl(const KANLinearOptions& options) : options_(options) {
  const auto in = options.inFeatures, out = options.outFeatures;
  const int bases = options.grid.basisCount();
  base_weight = register_parameter("base_weight", torch::empty({out, in}));
  spline_weight = register_parameter("spline_weight", torch::empty({out, in, bases}));
  spline_scaler = register_parameter("spline_scaler", torch::empty({out, in}));
  grid = register_buffer("grid", options.grid.knots().unsqueeze(0).expand({in, options.grid.knotCount()}).contiguous());

  // As nn.Linear (kaiming uniform, a = sqrt(5)) for both weight matrices; the splines start as small
  // noise so the layer begins close to its SiLU base.
  torch::NoGradGuard noGrad;
  torch::nn::init::kaiming_uniform_(base_weight, std::sqrt(5.0));
  torch::nn::init::kaiming_uniform_(spline_scaler, std::sqrt(5.0));
  spline_weight.uniform_(-0.1 / options.grid.gridSize, 0.1 / options.grid.gridSize);
}

torch::Tensor KANLinearImpl::forward(const torch::Tensor& x) {
  const auto in = options_.inFeatures, out = options_.outFeatures;
  auto outputShape = x.sizes().vec();
  outputShape.back() = out;
  const auto flat = x.reshape({-1, in});
  const auto base = torch::nn::functional::linear(torch::silu(flat), base_weight);
  const auto bases = cubicBSplineBases(flat, options_.grid).reshape({flat.size(0), -1});
  const auto scaledSpline = (spline_weight * spline_scaler.unsqueeze(-1)).reshape({out, -1});
  return (base + torch::nn::functional::linear(bases, scaledSpline)).reshape(outputShape);
}

} // namespace medclick
