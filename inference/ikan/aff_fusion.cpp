#include "inference/ikan/aff_fusion.h"

namespace medclick {

AffFusionImpl::AffFusionImpl() {
  spatial = register_module("spatial", torch::nn::Conv2d(torch::nn::Conv2dOptions(2, 1, 7).padding(3)));
}

torch::Tensor AffFusionImpl::attention(const torch::Tensor& backbone, const torch::Tensor& side) {
  const auto averaged = torch::cat({backbone.mean(1, true), side.mean(1, true)}, 1);
  return torch::sigmoid(spatial(averaged));
}

torch::Tensor AffFusionImpl::forward(const torch::Tensor& backbone, const torch::Tensor& side) {
  const auto alpha = attention(backbone, side);
  return alpha * backbone + (1.0 - alpha) * side; // IKAN eq. (6)
}

} // namespace medclick
