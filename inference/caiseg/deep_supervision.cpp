#include "inference/caiseg/deep_supervision.h"

#include <cmath>
#include <stdexcept>

namespace medclick {

namespace F = torch::nn::functional;

torch::Tensor headClassProbability(const torch::Tensor& adjustedFeatures, const torch::Tensor& queries) {
  return torch::softmax(headClassScores(adjustedFeatures, queries), 1);
}

torch::Tensor headClassScores(const torch::Tensor& adjustedFeatures, const torch::Tensor& queries) {
  const int64_t B = adjustedFeatures.size(0), C = adjustedFeatures.size(1);
  if (queries.dim() != 3 || queries.size(0) != B || queries.size(2) != C)
    throw std::invalid_argument("deep supervision: queries must be [B, 2, C] with C = F_new's channels");
  // CAISeg eq. (9)–(10): [B, 2, C] · [B, C, N] → [B, 2, N]
  const auto scores = torch::matmul(queries, adjustedFeatures.flatten(2)) / std::sqrt(static_cast<double>(C));
  auto shape = adjustedFeatures.sizes().vec();
  shape[1] = queries.size(1);
  return scores.view(shape);
}

torch::Tensor upsampleProbability(const torch::Tensor& probability, const std::vector<int64_t>& size) {
  return F::interpolate(probability, F::InterpolateFuncOptions().size(size).mode(torch::kTrilinear).align_corners(false));
}

} // namespace medclick
