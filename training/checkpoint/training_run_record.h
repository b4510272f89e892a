#pragma once
// What every trainer does around its own steps: a progress report after each step (loss, samples/s,
// ETA), and at the end of an epoch the best-so-far bookkeeping, rank 0's files (metrics.csv,
// best.safetensors when the validation metric improved, the resumable checkpoint) and the epoch's
// report. The trainers keep only what differs: their batches, losses and validation.

#include "checkpoint/training_checkpoint.h"
#include "distributed/distributed_context.h"
#include "jobs/training_progress.h"

#include <torch/torch.h>

#include <chrono>
#include <fstream>
#include <map>
#include <string>

namespace medclick {

class TrainingRunRecord {
public:
  // metricName: metrics.csv's column and best.safetensors' metadata key (e.g. "val_iou"). A new run
  // (cursor.epochsDone 0) starts metrics.csv afresh; a resumed one appends.
  TrainingRunRecord(const std::string& outDir, const std::string& metricName, TrainingCursor& cursor, const DistributedContext& context,
                    const ProgressCallback& progress, int epochs, int64_t stepsPerEpoch, int batchSize);

  void reportStep(int epoch, int64_t step, double lossSum);

  // After validation. Returns whether the metric improved. weightsMetadata describes the network
  // (the checkpoint's and best.safetensors' metadata; best also gets the epoch and the metric).
  bool finishEpoch(int epoch, double meanLoss, double metric, double seconds, torch::nn::Module& network,
                   torch::optim::Optimizer& optimizer, const torch::Device& device, const std::map<std::string, std::string>& weightsMetadata);

  TrainingSummary summary;

private:
  std::string outDir_, metricName_;
  TrainingCursor& cursor_;
  const DistributedContext& context_;
  ProgressCallback progress_;
  int epochs_;
  int64_t stepsPerEpoch_;
  int batchSize_;
  std::ofstream metrics_;
  std::chrono::steady_clock::time_point jobStart_ = std::chrono::steady_clock::now();
  long long stepsThisJob_ = 0;
};

} // namespace medclick
