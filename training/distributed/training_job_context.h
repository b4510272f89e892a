#pragma once
// How a trainer joins its job: one process, or — when asked to read the environment and WORLD_SIZE
// is above 1 — one rank of a data-parallel job. Each rank of a CUDA job takes the GPU of its
// LOCAL_RANK.

#include "distributed/data_shard.h"
#include "distributed/distributed_context.h"
#include "runtime/cpu_tuning.h"

#include <torch/torch.h>

#include <filesystem>
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

// A trainer's first steps, the same for every model.
struct StartedTrainingJob {
  TrainingJobContext job;
  BatchShard shard; // this rank's share of the global batch
  DistributedContext& context() const { return *job.context; }
};

// From the fields every trainer's options have (threads, distributedFromEnvironment, device,
// distributedTimeoutSeconds, batchSize, outDir, seed): sets the CPU threads, joins the job, takes
// this rank's share of the batch, makes the output folder (rank 0) and seeds torch.
template <class TrainingOptions>
StartedTrainingJob startTrainingJob(const TrainingOptions& o) {
  tuneCpuRuntime(o.threads);
  StartedTrainingJob started;
  started.job = joinTrainingJob(o.distributedFromEnvironment, o.device, o.distributedTimeoutSeconds);
  started.shard = batchShard(o.batchSize, started.context().rank(), started.context().worldSize());
  if (started.context().isMain()) std::filesystem::create_directories(o.outDir);
  torch::manual_seed(o.seed);
  return started;
}

} // namespace medclick
