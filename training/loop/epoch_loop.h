#pragma once
// The epoch and step loop every trainer runs (IKAN, CAISeg, KM-UNet and KANU-Net): epochs from the
// checkpoint's cursor to the last, one seed per epoch, per-epoch schedules, steps over this rank's
// share of each global batch with one random stream per sample, gradients averaged over the ranks,
// a progress report per step, a cancel that stops every rank at the same step, the epoch's mean
// loss over the ranks, validation, the epoch's files (TrainingRunRecord) and early stopping. A
// trainer keeps what differs: its batches and loss, its schedules and its validation.

#include "checkpoint/training_run_record.h"
#include "distributed/data_shard.h"
#include "distributed/distributed_context.h"
#include "distributed/gradient_averager.h"

#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace medclick {

// What one step trains on: its place in the run, the training cases of this rank's share of the
// global batch, and one random stream per sample (from the seed, epoch, step and sample position
// alone, so a resumed or differently parallel run draws the same).
struct TrainingStep {
  int epoch = 0;
  int64_t step = 0;
  const std::vector<int64_t>& cases;
  std::vector<std::mt19937_64>& random;
};

struct EpochLoop {
  int epochs = 1;
  int64_t stepsPerEpoch = 1;
  int64_t trainingCount = 0; // cases the epochs draw their order from
  int64_t globalBatch = 1;
  uint64_t seed = 0;
  int patience = 0; // stop after this many epochs without a better metric (0: never)
  std::map<std::string, std::string> weightsMetadata; // of the checkpoints and best.safetensors
  std::function<void(int epoch)> startEpoch;          // learning rate and other schedules (may be empty)
  // The step's loss with its graph: the mean over this rank's share (the ranks' shares are equal,
  // so the mean of their gradients is the global batch's).
  std::function<torch::Tensor(const TrainingStep& step)> loss;
  // After the epoch's steps: the validation metric over every rank's share, the same on each rank.
  std::function<double()> validate;
};

// The loop's run-wide fields from what every trainer's options have (epochs, stepsPerEpoch,
// batchSize, seed): stepsPerEpoch 0 means one pass over the training cases.
template <class TrainingOptions>
EpochLoop epochLoopFor(const TrainingOptions& o, int64_t trainingCount) {
  EpochLoop loop;
  loop.epochs = o.epochs;
  loop.trainingCount = trainingCount;
  loop.globalBatch = o.batchSize;
  loop.stepsPerEpoch = o.stepsPerEpoch > 0 ? o.stepsPerEpoch : std::max<int64_t>(1, trainingCount / o.batchSize);
  loop.seed = o.seed;
  return loop;
}

// The parts a trainer has built: its network and optimizer (both on the job's device), the
// gradient averaging over the ranks, this rank's share of a global batch and the run's record.
struct TrainingParts {
  torch::nn::Module& network;
  torch::optim::Optimizer& optimizer;
  GradientAverager& gradients;
  DistributedContext& context;
  const BatchShard& shard;
  const torch::Device& device;
  TrainingRunRecord& record;
};

// Runs epochs firstEpoch..loop.epochs; returns the record's summary (cancelled: the interrupted
// epoch is not counted, so resume repeats it). Ends at a barrier: rank 0 serves the store, and
// nobody leaves while another still needs it.
TrainingSummary runEpochLoop(const EpochLoop& loop, const TrainingParts& parts, int firstEpoch, const std::atomic<bool>& cancel);

} // namespace medclick
