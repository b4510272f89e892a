#pragma once
// CAISeg's multi-scale cross-attention module (§III-B, Fig. 1b). Two learnable head queries q_fore
// and q_back gather the instance's representative foreground and background features from the
// decoder at strides 16, 8, 4, 2, one scale after the other:
//   CAISeg eq. (1)  q_cls ← q_cls + MLP(q_cls + Softmax(q_cls · K_F'ᵀ / √d_k) · V_F')
// K_F' and V_F' are linear maps of that scale's features F'; the attention is multi-head (16, 16, 8,
// 4 heads, d_k the head width) and has no output projection, as CAISeg eq. (1) has none. Between scales of
// different widths a linear layer maps the queries to the next width. The MLP is Linear–GELU–Linear
// (hidden = mlpRatio × width), its branch dropped per sample with probability dropPath while
// training (stochastic depth, §IV-B3: 0.2).
//
// After the last scale the queries go through a LayerNorm, as a transformer decoder's output does
// before its queries are compared with pixel features (DETR's and Mask2Former's decoder norm). The
// paper's CAISeg eq. (1) is a pure residual stream: without it the queries grew to ~25 per channel against
// features of unit scale, so eq. (10)'s scores F_new · q_hᵀ / √d_k reached thousands and the deep
// supervision's BCE (eq. 12) swamped the loss (measured: 270 at the first step, diverging).
//
// The queries depend on the image only, never on the clicks: they are computed with the backbone's
// features and reused while only the clicks change.

#include <torch/torch.h>

#include <vector>

namespace medclick {

// The head count actually used at a width: the largest h ≤ requested that divides the width and
// leaves heads of at least minHeadWidth channels (at least 1 head). The paper's 16, 16, 8, 4 heads on
// V-Net's widths 256, 256, 128, 64 all have 16 channels; a slim network (w = 8: 128, 128, 64, 32)
// keeps the paper's counts with 8-channel heads; only below minHeadWidth channels per head (w ≤ 2)
// does it use fewer heads.
int64_t attentionHeadsFor(int64_t width, int64_t requested, int64_t minHeadWidth = 4);

struct CrossAttentionOptions {
  int64_t width = 64;
  int64_t heads = 4;        // must divide width
  int64_t mlpRatio = 4;
  double dropPath = 0.2;
};

// One scale of CAISeg eq. (1) for both queries at once.
class QueryCrossAttentionImpl : public torch::nn::Module {
public:
  explicit QueryCrossAttentionImpl(const CrossAttentionOptions& options);
  // queries [B, Q, C], features [B, C, d, h, w] → updated queries [B, Q, C]
  torch::Tensor forward(const torch::Tensor& queries, const torch::Tensor& features);
  // Softmax(q·Kᵀ/√d_k)·V, the heads concatenated: [B, Q, C]
  torch::Tensor attend(const torch::Tensor& queries, const torch::Tensor& features);

  torch::nn::Linear key{nullptr}, value{nullptr};
  torch::nn::Sequential mlp{nullptr};
  const CrossAttentionOptions& options() const { return options_; }

private:
  CrossAttentionOptions options_;
};
TORCH_MODULE(QueryCrossAttention);

struct MultiScaleCrossAttentionOptions {
  std::vector<int64_t> widths;                 // of the decoder features, coarse to fine
  std::vector<int64_t> heads{16, 16, 8, 4};    // requested, one per scale (adapted by attentionHeadsFor)
  int64_t mlpRatio = 4;
  double dropPath = 0.2;
};

class MultiScaleCrossAttentionImpl : public torch::nn::Module {
public:
  explicit MultiScaleCrossAttentionImpl(const MultiScaleCrossAttentionOptions& options);
  // decoder features coarse to fine → [B, 2, C_last], layer-normalised: row 0 q_back, row 1 q_fore
  // (the class order of every CAISeg output: background, foreground).
  torch::Tensor forward(const std::vector<torch::Tensor>& decoderFeatures);

  torch::Tensor q_fore, q_back;       // [C_first] each
  torch::nn::ModuleList scales{nullptr};      // QueryCrossAttention per scale
  torch::nn::ModuleList projections{nullptr}; // Linear from scale i to i+1, only where widths differ
  torch::nn::LayerNorm norm{nullptr};         // on the final queries (see above)
  std::vector<int64_t> headsUsed() const;

private:
  MultiScaleCrossAttentionOptions options_;
  std::vector<int> projectionIndex_; // per scale transition: index into projections, or −1
};
TORCH_MODULE(MultiScaleCrossAttention);

} // namespace medclick
