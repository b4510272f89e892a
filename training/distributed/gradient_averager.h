#pragma once
// Averages gradients over the ranks after backward, as DistributedDataParallel does: parameters
// are grouped once into buckets of about bucketBytes (same dtype and device, in registration
// order), and each bucket is flattened into one tensor and all-reduced in one call, so a step makes
// a few large collective calls instead of one per parameter tensor.

#include "distributed/distributed_context.h"

#include <torch/torch.h>

#include <vector>

namespace medclick {

class GradientAverager {
public:
  GradientAverager(std::vector<torch::Tensor> parameters, DistributedContext& context, size_t bucketBytes = 25u << 20);

  // grad ← (Σ_ranks grad) / worldSize. A parameter without a gradient counts as zero in the sum
  // and keeps no gradient (every rank runs the same graph, so it has none anywhere).
  void average();

  size_t bucketCount() const { return buckets_.size(); }

private:
  std::vector<torch::Tensor> parameters_;
  std::vector<std::vector<size_t>> buckets_; // indices into parameters_
  DistributedContext& context_;
};

} // namespace medclick
