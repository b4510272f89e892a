#pragma once
// CAISeg's Interaction-Guided Module (§III-B, Fig. 1c): the user's points pick feature vectors of F,
// each is pulled towards the head feature of its label, and every voxel of its cluster moves with it.
//
//   points    down-sampled to F's grid by each axis's ratio r: a voxel centre p (integer index)
//             lies in cell ⌊(p + ½) / r⌋ (clamped to the grid)
//   M_c       [n_c, C]: F's vectors at those cells, foreground points first, then background ones
//   CAISeg eq. (2)   v_adj = q_cls − v_c, q_cls = q_fore for a foreground point, q_back for a background one
//   CAISeg eq. (3)   F_new = F + CA × M_adj, CA [d·h·w, n_c] from the Feature Clustering Block
//
// Without points F_new = F. Samples of a batch may have different numbers of points: each is
// adjusted on its own.

#include "inference/caiseg/caiseg_prompt.h"
#include "inference/caiseg/feature_clustering.h"
#include "inference/caiseg/vnet_backbone.h"

#include <torch/torch.h>

#include <vector>

namespace medclick {

// The points' cells on F's grid: [n, 3] int64 (z, y, x), foreground points first.
torch::Tensor clickGridCoordinates(const CaisegPrompt& prompt, const Stride3& ratio, const Stride3& gridSize);
// [n] bool, true for the foreground points (the same order).
torch::Tensor clickIsForeground(const CaisegPrompt& prompt);

// M_c: features F [C, d, h, w], cells [n, 3] → [n, C].
torch::Tensor gatherClickFeatures(const torch::Tensor& features, const torch::Tensor& cells);

// CAISeg eq. (2): M_c [n, C], isForeground [n], q_fore and q_back [C] → M_adj [n, C].
torch::Tensor adjustmentVectors(const torch::Tensor& clickFeatures, const torch::Tensor& isForeground,
                                const torch::Tensor& qFore, const torch::Tensor& qBack);

// CAISeg eq. (3): features F [C, d, h, w], CA [d·h·w, n], M_adj [n, C] → F_new [C, d, h, w].
torch::Tensor adjustFeatures(const torch::Tensor& features, const torch::Tensor& clusteredAffinity,
                             const torch::Tensor& adjustments);

// S_p at the input's resolution [B, 1, D, H, W] → F's grid by averaging each cell (the fraction of
// the cell inside the previous mask).
torch::Tensor previousMaskOnFeatureGrid(const torch::Tensor& previousMask, const Stride3& ratio);

struct InteractionGuidedOptions {
  int64_t channels = 64;          // C of F
  int64_t clusteringHeads = 4;    // n_h
  Stride3 featureStride{2, 2, 2}; // F's down-sampling ratio r
};

class InteractionGuidedModuleImpl : public torch::nn::Module {
public:
  explicit InteractionGuidedModuleImpl(const InteractionGuidedOptions& options);

  // features F [B, C, d, h, w]; queries [B, 2, C] (q_back, q_fore); one prompt per sample;
  // previousMask S_p [B, 1, D, H, W] at the input's resolution, or undefined for zeros (round one).
  // Returns F_new [B, C, d, h, w].
  torch::Tensor forward(const torch::Tensor& features, const torch::Tensor& queries, const std::vector<CaisegPrompt>& prompts,
                        const torch::Tensor& previousMask);

  FeatureClustering clustering{nullptr};
  const InteractionGuidedOptions& options() const { return options_; }

private:
  InteractionGuidedOptions options_;
};
TORCH_MODULE(InteractionGuidedModule);

} // namespace medclick
