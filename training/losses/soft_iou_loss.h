#pragma once
// IKAN eq. (1): the weighted SoftIoU of each interaction round and the iteration loss that sums the
// rounds with growing weights W_t, so later (finer) rounds count more.

#include <torch/torch.h>

#include <vector>

namespace medclick {

// L_t = 1 - sum(ŷ ⊙ y ⊙ w) / sum(max(ŷ, y) ⊙ w), w = I(y != -1), per sample.
// prediction: [B, ...] probabilities in [0, 1]; target: same shape, 1 object, 0 background, -1 ignored.
// Returns [B]. A sample with nothing valid in it (all ignored, or both sums zero) has loss 0.
torch::Tensor softIoULoss(const torch::Tensor& prediction, const torch::Tensor& target);

// L_Total = sum_t W_t * mean over the batch of L_t. roundWeights must be as long as predictions.
torch::Tensor iterationLoss(const std::vector<torch::Tensor>& predictionsPerRound, const torch::Tensor& target,
                            const std::vector<double>& roundWeights);

// The paper's W_t in {1, 2, 3}: W_t = t for t = 1..T (strictly increasing, as W_{t+1} > W_t requires).
std::vector<double> increasingRoundWeights(int rounds);

} // namespace medclick
