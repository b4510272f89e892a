#pragma once
// CAISeg (Sun et al., JBHI 2025; ../shared/papers/caiseg-clustering-aided-interactive-3d.md, Fig. 1):
//   (a) V-Net backbone → decoder features at strides 16, 8, 4, 2; F is the last of them
//   (b) multi-scale cross-attention (eq. 1) → the head queries q_back, q_fore
//   (c) Interaction-Guided Module: Feature Clustering Block (eq. 4–7, 13) and adjustment (eq. 2–3)
//       → F_new
//   head: V-Net's last up transition (F_new to stride 1, with the input transition's skip) and its
//       output transition → two-class logits at the input's size; plus the deep supervision
//       P̂_cls of eq. (9)–(10), up-sampled. The paper does not say how Ŷ leaves F_new; V-Net's own
//       tail is the natural reading. It is also the costliest part of a click (a k³ convolution on
//       every input voxel: 24.5 of the 25.8 GFLOP of a click at 96×128×128 with the slim widths),
//       so the slim variant runs the output transition on F's grid instead and up-samples the
//       logits (trilinear), as P̂_cls is: a click then costs 1.2 GFLOP.
//
// (a) and (b) see only the image, (c) and the head see the clicks and S_p: encode() runs the first
// part once per patch, refine() the second once per click, so a new click costs only the IGM and the
// head (issue 5's ≤ 1.5 s per refinement on a 2-core CPU). forward() is refine(encode()).
//
// Class order of every output: (background, foreground).

#include "inference/caiseg/caiseg_prompt.h"
#include "inference/caiseg/interaction_guided_module.h"
#include "inference/caiseg/multiscale_cross_attention.h"
#include "inference/caiseg/vnet_backbone.h"

#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

namespace medclick {

struct CaisegOptions {
  std::string variant = "paper";
  VnetOptions backbone{};                        // paper: V-Net (w = 16, 5³ kernels)
  std::vector<int64_t> attentionHeads{16, 16, 8, 4}; // per decoder scale, coarse to fine (§IV-B1)
  int64_t mlpRatio = 4;
  double dropPath = 0.2;                         // on the cross-attention MLPs (§IV-B3)
  int64_t clusteringHeads = 4;                   // n_h of the Feature Clustering Block
  bool fullResolutionHead = true;                // V-Net's up transition to stride 1 (else: logits on F's grid, up-sampled)

  static CaisegOptions paper(); // V-Net's widths (16 … 256, 5³ kernels): for a GPU
  static CaisegOptions slim();  // w = 8, 3³ kernels, head on F's grid: for interactive use on a CPU
  static CaisegOptions named(const std::string& variant, bool anisotropic = false); // throws for an unknown name
};

// What encode() computes from the image alone.
struct CaisegFeatures {
  VnetFeatures backbone;
  torch::Tensor queries;         // [B, 2, C]: (q_back, q_fore) after eq. (1) at every scale
  std::vector<int64_t> inputSize; // D, H, W
};

struct CaisegOutput {
  torch::Tensor logits;           // [B, 2, D, H, W]
  torch::Tensor classProbability; // P̂_cls of eq. (10), up-sampled: [B, 2, D, H, W]; undefined without deep supervision
  // P̂_cls's foreground logit, score_fore − score_back up-sampled [B, D, H, W] (its sigmoid is the
  // two-class softmax): what eq. (12)'s loss uses, since at initialisation the scores are large
  // enough to saturate the softmax in float and a BCE through the probability gets no gradient.
  torch::Tensor classLogit;
};

class CaisegNetworkImpl : public torch::nn::Module {
public:
  explicit CaisegNetworkImpl(const CaisegOptions& options = CaisegOptions::paper());

  // volume [B, 1, D, H, W] (normalised), D, H, W multiples of 16 (D of 8 when anisotropic).
  CaisegFeatures encode(const torch::Tensor& volume);
  // One refinement from precomputed features. prompts: one per sample (points in the volume's
  // voxels, possibly none); previousMask S_p [B, 1, D, H, W] or undefined (zeros, round one).
  CaisegOutput refine(const CaisegFeatures& features, const std::vector<CaisegPrompt>& prompts,
                      const torch::Tensor& previousMask, bool deepSupervision = true);
  CaisegOutput forward(const torch::Tensor& volume, const std::vector<CaisegPrompt>& prompts,
                       const torch::Tensor& previousMask, bool deepSupervision = true);

  static torch::Tensor foregroundProbability(const torch::Tensor& logits); // softmax(logits)[:, 1]
  const CaisegOptions& options() const { return options_; }

  VnetBackbone backbone{nullptr};
  MultiScaleCrossAttention attention{nullptr};
  InteractionGuidedModule igm{nullptr};
  UpTransition head_up{nullptr}; // only with fullResolutionHead
  OutputTransition head_out{nullptr};

private:
  CaisegOptions options_;
};
TORCH_MODULE(CaisegNetwork);

// The safetensors metadata that names the architecture: model, variant, anisotropic.
std::map<std::string, std::string> caisegWeightsMetadata(const CaisegOptions& options);

} // namespace medclick
