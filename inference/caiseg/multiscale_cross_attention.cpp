#include "inference/caiseg/multiscale_cross_attention.h"

#include "nn/drop_path.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace medclick {

namespace nn = torch::nn;

int64_t attentionHeadsFor(int64_t width, int64_t requested, int64_t minHeadWidth) {
  for (int64_t h = requested; h > 1; --h)
    if (width % h == 0 && width / h >= minHeadWidth) return h;
  return 1;
}

QueryCrossAttentionImpl::QueryCrossAttentionImpl(const CrossAttentionOptions& options) : options_(options) {
  if (options.heads < 1 || options.width % options.heads != 0)
    throw std::invalid_argument("cross-attention: " + std::to_string(options.heads) + " heads do not divide width " +
                                std::to_string(options.width));
  // No key bias: q·(k + b) adds the same q·b to every token's score, which the softmax ignores.
  key = register_module("key", nn::Linear(nn::LinearOptions(options.width, options.width).bias(false)));
  value = register_module("value", nn::Linear(options.width, options.width));
  const int64_t hidden = options.mlpRatio * options.width;
  mlp = register_module("mlp", nn::Sequential(nn::Linear(options.width, hidden), nn::GELU(), nn::Linear(hidden, options.width)));
}

torch::Tensor QueryCrossAttentionImpl::attend(const torch::Tensor& queries, const torch::Tensor& features) {
  const int64_t B = features.size(0), C = options_.width, heads = options_.heads, dk = C / heads;
  if (features.size(1) != C || queries.size(-1) != C)
    throw std::invalid_argument("cross-attention: features and queries must have width " + std::to_string(C));
  const auto tokens = features.flatten(2).transpose(1, 2); // [B, N, C]
  const int64_t N = tokens.size(1), Q = queries.size(1);
  const auto k = key(tokens).view({B, N, heads, dk}).permute({0, 2, 3, 1});    // [B, h, dk, N]
  const auto v = value(tokens).view({B, N, heads, dk}).transpose(1, 2);        // [B, h, N, dk]
  const auto q = queries.reshape({B, Q, heads, dk}).transpose(1, 2);           // [B, h, Q, dk]
  const auto weights = torch::softmax(torch::matmul(q, k) / std::sqrt(static_cast<double>(dk)), -1); // [B, h, Q, N]
  return torch::matmul(weights, v).transpose(1, 2).reshape({B, Q, C});
}

torch::Tensor QueryCrossAttentionImpl::forward(const torch::Tensor& queries, const torch::Tensor& features) {
  // CAISeg eq. (1)
  return queries + dropPath(mlp->forward(queries + attend(queries, features)), options_.dropPath, is_training());
}

MultiScaleCrossAttentionImpl::MultiScaleCrossAttentionImpl(const MultiScaleCrossAttentionOptions& options) : options_(options) {
  if (options.widths.empty() || options.widths.size() != options.heads.size())
    throw std::invalid_argument("multi-scale cross-attention: one head count per decoder scale (" +
                                std::to_string(options.widths.size()) + " scales, " + std::to_string(options.heads.size()) +
                                " head counts)");
  // DETR-style query embeddings: N(0, 1), the scale of the normalised features they are compared with.
  q_fore = register_parameter("q_fore", torch::randn({options.widths.front()}));
  q_back = register_parameter("q_back", torch::randn({options.widths.front()}));
  scales = register_module("scales", nn::ModuleList());
  projections = register_module("projections", nn::ModuleList());
  for (size_t i = 0; i < options.widths.size(); ++i) {
    CrossAttentionOptions scale;
    scale.width = options.widths[i];
    scale.heads = attentionHeadsFor(options.widths[i], options.heads[i]);
    scale.mlpRatio = options.mlpRatio;
    scale.dropPath = options.dropPath;
    scales->push_back(QueryCrossAttention(scale));
    if (i + 1 < options.widths.size()) {
      if (options.widths[i + 1] != options.widths[i]) {
        projectionIndex_.push_back(static_cast<int>(projections->size()));
        projections->push_back(nn::Linear(options.widths[i], options.widths[i + 1]));
      } else {
        projectionIndex_.push_back(-1);
      }
    }
  }
  norm = register_module("norm", nn::LayerNorm(nn::LayerNormOptions({options.widths.back()})));
}

std::vector<int64_t> MultiScaleCrossAttentionImpl::headsUsed() const {
  std::vector<int64_t> heads;
  for (const auto& scale : *scales) heads.push_back(scale->as<QueryCrossAttention>()->options().heads);
  return heads;
}

torch::Tensor MultiScaleCrossAttentionImpl::forward(const std::vector<torch::Tensor>& decoderFeatures) {
  if (decoderFeatures.size() != scales->size())
    throw std::invalid_argument("multi-scale cross-attention: expected " + std::to_string(scales->size()) + " decoder scales");
  const int64_t B = decoderFeatures.front().size(0);
  auto queries = torch::stack({q_back, q_fore}).unsqueeze(0).expand({B, 2, q_fore.size(0)});
  for (size_t i = 0; i < scales->size(); ++i) {
    queries = scales[i]->as<QueryCrossAttention>()->forward(queries, decoderFeatures[i]);
    if (i < projectionIndex_.size() && projectionIndex_[i] >= 0)
      queries = projections[projectionIndex_[i]]->as<nn::Linear>()->forward(queries);
  }
  return norm(queries);
}

} // namespace medclick
