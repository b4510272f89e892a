#pragma once
// CAISeg's training loss (§III-D, §III-E, §IV-B3):
//   CAISeg eq. (8)   ℓ_FG(y, p̂) = (1 + ((d_max − d) / d_max)^λ) × ℓ_BCE(y, p̂),  λ = 2
//             d: distance in millimetres from the voxel to the nearest interaction point;
//             d_max: the largest such d over the image (the voxel farthest from every click).
//   CAISeg eq. (11)  ℓ_com(Y, P̂) = μ × ℓ_FG + (1 − μ) × ℓ_Dice,  μ rising 0.3 → 0.6 over training
//   CAISeg eq. (12)  ℓ = ν × ℓ_com(Y, Ŷ) + (1 − ν) × ℓ_com(Y, P̂_cls),  ν = 0.5
// CAISeg eq. (11) writes Σ_i over voxels; Dice is a loss of the whole volume, not of a voxel, so here the
// FG term is the mean over the voxels (a sum would tie μ's balance to the patch size) and the Dice
// term is the soft Dice loss of the volume, both per sample, then averaged over the batch.

#include "inference/caiseg/caiseg_prompt.h"

#include "losses/soft_dice_loss.h" // ℓ_Dice of eq. (11)

#include <torch/torch.h>

#include <vector>

namespace medclick {

struct FocusGuidedLossOptions {
  double lambda = 2.0;                         // λ of CAISeg eq. (8)
  double muStart = 0.3, muEnd = 0.6;           // μ of CAISeg eq. (11) at the start and the end of training
  double nu = 0.5;                             // ν of CAISeg eq. (12)
};

// d of CAISeg eq. (8): [D, H, W] float, the Euclidean distance in millimetres from each voxel centre to the
// nearest point of the prompt (foreground and background alike), spacing-aware. Without any point:
// undefined tensor.
torch::Tensor clickDistanceMillimetres(const std::vector<int64_t>& size, const CaisegPrompt& prompt,
                                       const torch::Device& device = torch::kCPU);

// The factor of CAISeg eq. (8), 1 + ((d_max − d) / d_max)^λ: 2 on a click, 1 at the farthest voxel. When
// d_max is 0 (every voxel is a click) all weights are 2. distance: as above, any shape.
torch::Tensor focusGuidedWeights(const torch::Tensor& distance, double lambda);

// The weights of a batch: [B, D, H, W]; a sample without points gets weight 1 everywhere (CAISeg eq. (8)
// without a click is plain BCE).
torch::Tensor focusGuidedWeightBatch(const std::vector<int64_t>& size, const std::vector<CaisegPrompt>& prompts, double lambda,
                                     const torch::Device& device);

// CAISeg eq. (8) averaged over the voxels, per sample: probability, target, weights [B, ...] → [B].
// With `logit` (log p/(1−p), same shape) the BCE is computed from it: a voxel whose probability has
// rounded to exactly 0 or 1 still gets its gradient p − y, where through p it would get none.
torch::Tensor focusGuidedLoss(const torch::Tensor& probability, const torch::Tensor& target, const torch::Tensor& weights,
                              const torch::Tensor& logit = {});


// μ of CAISeg eq. (11) for a training progress in [0, 1] (0: first epoch, 1: last), linear, clamped.
double focusGuidedMu(double progress, const FocusGuidedLossOptions& options = {});

// CAISeg eq. (11), averaged over the batch (a scalar); logit as for focusGuidedLoss.
torch::Tensor combinedLoss(const torch::Tensor& probability, const torch::Tensor& target, const torch::Tensor& weights, double mu,
                           const torch::Tensor& logit = {});

// CAISeg eq. (12). outputLogit: the output's foreground logit l_fore − l_back [B, D, H, W] (its softmax
// probability is the sigmoid of it); classLogit: P̂_cls's foreground logit [B, D, H, W] (the network's
// CaisegOutput::classLogit); target [B, D, H, W] 0/1.
torch::Tensor caisegLoss(const torch::Tensor& outputLogit, const torch::Tensor& classLogit, const torch::Tensor& target,
                         const torch::Tensor& weights, double mu, double nu);

} // namespace medclick
