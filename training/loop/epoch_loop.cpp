#include "loop/epoch_loop.h"

#include <chrono>

namespace medclick {

TrainingSummary runEpochLoop(const EpochLoop& loop, const TrainingParts& parts, int firstEpoch, const std::atomic<bool>& cancel) {
  DistributedContext& context = parts.context;
  const BatchShard& shard = parts.shard;
  int epochsWithoutImprovement = 0;
  for (int epoch = firstEpoch; epoch <= loop.epochs; ++epoch) {
    // All randomness comes from (seed, epoch, step, sample position) alone, so a resumed job repeats
    // what an uninterrupted one would have done, with any number of processes.
    torch::manual_seed(loop.seed * 1000003ull + static_cast<uint64_t>(epoch));
    if (loop.startEpoch) loop.startEpoch(epoch);
    const auto order = epochOrder(loop.trainingCount, loop.seed, epoch);
    double lossSum = 0.0;
    bool stopRequested = false;
    const auto epochStart = std::chrono::steady_clock::now();
    for (int64_t step = 0; step < loop.stepsPerEpoch; ++step) {
      const auto cases = shardBatchIndices(order, step, loop.globalBatch, shard);
      std::vector<std::mt19937_64> random;
      for (int64_t j = 0; j < shard.count; ++j) random.emplace_back(sampleSeed(loop.seed, epoch, step, shard.begin + j));
      const torch::Tensor loss = loop.loss(TrainingStep{epoch, step, cases, random});
      parts.optimizer.zero_grad();
      loss.backward();
      parts.gradients.average();
      parts.optimizer.step();
      lossSum += loss.item<double>();
      parts.record.reportStep(epoch, step, lossSum);
      stopRequested = context.anyTrue(cancel.load()); // a stop on any rank stops every rank at the same step
      if (stopRequested) break;
    }
    if (stopRequested) {
      parts.record.summary.cancelled = true;
      break;
    }
    const double meanLoss = context.sum(lossSum) / static_cast<double>(context.worldSize() * loop.stepsPerEpoch);
    const double metric = loop.validate ? loop.validate() : 0.0;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - epochStart).count();
    const bool improved =
        parts.record.finishEpoch(epoch, meanLoss, metric, seconds, parts.network, parts.optimizer, parts.device, loop.weightsMetadata);
    epochsWithoutImprovement = improved ? 0 : epochsWithoutImprovement + 1;
    if (loop.patience > 0 && epochsWithoutImprovement >= loop.patience) break;
  }
  context.barrier();
  return parts.record.summary;
}

} // namespace medclick
