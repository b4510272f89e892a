#pragma once
// How a trainer joins its job: one process, or — when asked to read the environment and WORLD_SIZE
// is above 1 — one rank of a data-parallel job. Each rank of a CUDA job takes the GPU of its
// LOCAL_RANK.

#include "distributed/distributed_context.h"

#include <torch/torch.h>

#include <memory>
#include <string>

namespace medclick {

struct TrainingJobContext {
  std::unique_ptr<DistributedContext> context;
  torch::Device device{torch::kCPU};
};

// device: "auto", "cpu", "cuda" or "cuda:N" (as chooseDevice). timeoutSeconds: how long a
// collective may wait for the other ranks before the job fails naming the lost rank.
TrainingJobContext joinTrainingJob(bool fromEnvironment, const std::string& device, int timeoutSeconds);

} // namespace medclick
