#pragma once
// Stochastic depth (drop path): during training, each sample's residual branch is dropped with
// probability p and kept ones are scaled by 1/(1 − p). The keep/drop draws are made for the whole
// global batch of a data-parallel step and this process takes its share of them, so N processes
// with B/N samples each drop exactly the samples one process with B samples would.

#include <torch/torch.h>

namespace medclick {

// Where this process's samples sit in the step's global batch. globalBatch 0: this process has the
// whole batch (the default).
struct GlobalBatchShare {
  int64_t globalBatch = 0;
  int64_t begin = 0;
};

// Process-wide; set by data-parallel training for the duration of a job.
void setGlobalBatchShare(const GlobalBatchShare& share);
GlobalBatchShare globalBatchShare();

torch::Tensor dropPath(const torch::Tensor& x, double probability, bool training);

} // namespace medclick
