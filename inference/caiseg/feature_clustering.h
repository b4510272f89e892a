#pragma once
// CAISeg's Feature Clustering Block (§III-C): the features at the user's points are cluster centres;
// every voxel of F is assigned to its most similar foreground centre and its most similar background
// centre, and the similarity says how much of each centre's adjustment vector it receives (eq. 3).
//
//   fusion    the previous round's mask S_p (zeros in round one), averaged onto F's grid, enters the
//             shared linear layer as one more input channel: X = W·F + w_mask·S_p (no bias: Q and
//             K come from the same layer, so it would cancel in q − k). Q is X at every voxel split
//             into n_h heads, K is X at the clicked voxels (the same layer, so K's rows are Q's rows
//             at the clicks).
//   CAISeg eq. (4)   D(q, k) = mm(‖q − k‖₂) + α · mm(‖(χ_q − χ_k) · s‖₂), α learnable (starts at 1)
//   CAISeg eq. (13)  s = (s_D·r_D, s_H·r_H, s_W·r_W): voxel spacing × F's down-sampling ratio, so the spatial
//             term is a distance in millimetres
//   CAISeg eq. (5)   A(q, k) = exp(−D(q, k)²), then the heads' A averaged
//   CAISeg eq. (6)   mask(q, k) = 1 where A(q, k) is the largest of A(q, k') over the centres k' of k's own
//             set (S_fore or S_back), else 0: one foreground and one background centre per voxel
//   CAISeg eq. (7)   CA = A × mask (element-wise)
//
// mm(·) is min-max normalisation to [0, 1]. The paper's text garbles which of ‖·‖₂ and norm(·) is
// the normalisation; both terms are normalised here, so that α is a pure mixing weight between
// two [0, 1] distances and D ∈ [0, 1 + α]. The minimum and maximum run over all voxel–centre pairs
// of a sample (per head for the feature term): one scale for the whole map, so that CAISeg eq. (6) compares
// centres on the same scale. Where all pairs are equal the term is 0.

#include "inference/caiseg/caiseg_prompt.h"
#include "inference/caiseg/vnet_backbone.h"

#include <torch/torch.h>

#include <array>

namespace medclick {

// CAISeg eq. (13): (s_D·r_D, s_H·r_H, s_W·r_W) in millimetres per step of F's grid.
std::array<double, 3> distanceCorrection(const VoxelSpacing& spacing, const Stride3& ratio);

// (x − min) / (max − min) over the last two dimensions, each leading index on its own; 0 where
// max = min.
torch::Tensor minMaxNormalize(const torch::Tensor& x);

// ‖q − k‖₂ for every pair: Q [h, N, d], K [h, n, d] → [h, N, n].
torch::Tensor featureDistances(const torch::Tensor& Q, const torch::Tensor& K);

// ‖(χ_q − χ_k) · s‖₂ from every voxel χ_q of a grid (z, y, x sizes) to every centre χ_k
// (centres [n, 3] int64 grid coordinates z, y, x) → [N, n], N = d·h·w in row-major order.
torch::Tensor spatialDistances(const Stride3& gridSize, const torch::Tensor& centres, const std::array<double, 3>& s,
                               const torch::TensorOptions& options = {});

// CAISeg eq. (4): featureDistance [h, N, n], spatialDistance [N, n], alpha a scalar tensor → D [h, N, n].
torch::Tensor clusteringDistance(const torch::Tensor& featureDistance, const torch::Tensor& spatialDistance,
                                 const torch::Tensor& alpha);

// CAISeg eq. (5)
torch::Tensor gaussianAffinity(const torch::Tensor& distance);

// CAISeg eq. (6): A [N, n], isForeground [n] (bool) → mask [N, n] of 0 and 1 (A's dtype). Ties keep every
// centre that reaches the maximum.
torch::Tensor clusterMask(const torch::Tensor& affinity, const torch::Tensor& isForeground);

// CAISeg eq. (7)
torch::Tensor clusteredAffinity(const torch::Tensor& affinity, const torch::Tensor& mask);

struct FeatureClusteringOptions {
  int64_t channels = 64; // C of F
  int64_t heads = 4;     // n_h; must divide channels
};

class FeatureClusteringImpl : public torch::nn::Module {
public:
  explicit FeatureClusteringImpl(const FeatureClusteringOptions& options);

  // One sample. features F [C, d, h, w]; previousMask S_p on F's grid [d, h, w]; centres [n, 3] int64
  // grid coordinates; isForeground [n] bool; s from CAISeg eq. (13). Returns CA [N, n] (n ≥ 1).
  torch::Tensor forward(const torch::Tensor& features, const torch::Tensor& previousMask, const torch::Tensor& centres,
                        const torch::Tensor& isForeground, const std::array<double, 3>& s);
  // The heads' averaged affinity A [N, n] before CAISeg eq. (6), for tests and heat maps.
  torch::Tensor affinity(const torch::Tensor& features, const torch::Tensor& previousMask, const torch::Tensor& centres,
                         const std::array<double, 3>& s);

  torch::nn::Linear projection{nullptr}; // the shared linear layer (its F part)
  torch::Tensor mask_weight;             // [C]: its S_p column
  torch::Tensor alpha;                   // [] CAISeg eq. (4)'s α

private:
  FeatureClusteringOptions options_;
};
TORCH_MODULE(FeatureClustering);

} // namespace medclick
