// KM-UNet's training job: augmented 2D cases (IKAN §3's augmentation), 0.5·BCE + Dice, Adam with
// cosine annealing, validation IoU, checkpoints every epoch — data-parallel like the other trainers.

#include "jobs/segmenter_training_job.h"

#include "checkpoint/training_checkpoint.h"
#include "checkpoint/training_run_record.h"
#include "data/augmentation.h"
#include "data/segmentation_samples.h"
#include "distributed/data_shard.h"
#include "distributed/gradient_averager.h"
#include "distributed/training_job_context.h"
#include "kmunet/kmunet_network.h"
#include "kmunet/kmunet_segmenter.h"
#include "losses/bce_dice_loss.h"
#include "runtime/cpu_tuning.h"
#include "weights/safetensors.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace medclick {

namespace fs = std::filesystem;

namespace {

constexpr double kUkanBceDiceAlpha = 1.0 / 3.0; // 0.5·BCE + 1·Dice = 1.5·(⅓·BCE + ⅔·Dice)

// Per-image z-score, repeated to the network's channels: what KmUnetSegmenter feeds the network.
torch::Tensor networkInput(const torch::Tensor& images, int64_t channels) {
  const auto flat = images.flatten(1);
  const auto mean = flat.mean(1).view({-1, 1, 1, 1});
  const auto std = flat.std(1).clamp_min(1e-6).view({-1, 1, 1, 1});
  return ((images - mean) / std).expand({-1, channels, -1, -1}).contiguous();
}

// Sum over this rank's share of the validation cases of the IoU at probability > 0.5.
double validationIoUSum(KmUnetNetwork& network, const SegmentationSamples& validation, const std::vector<int64_t>& mine, int64_t size,
                        int batchSize, const torch::Device& device) {
  network->eval();
  torch::NoGradGuard noGrad;
  double sum = 0.0;
  for (size_t start = 0; start < mine.size(); start += static_cast<size_t>(batchSize)) {
    const auto count = std::min<size_t>(static_cast<size_t>(batchSize), mine.size() - start);
    const auto index = torch::tensor(std::vector<int64_t>(mine.begin() + static_cast<long>(start), mine.begin() + static_cast<long>(start + count)),
                                     torch::kLong);
    const auto batch = resizeBatch(validation.images.index_select(0, index), validation.masks.index_select(0, index), size);
    const auto predicted = torch::sigmoid(network->forward(networkInput(batch.images, network->options().inChannels).to(device))).gt(0.5);
    const auto object = batch.targets.to(device).eq(1);
    const auto intersection = predicted.logical_and(object).flatten(1).sum(1).to(torch::kFloat64);
    const auto unionArea = predicted.logical_or(object).flatten(1).sum(1).to(torch::kFloat64);
    sum += torch::where(unionArea > 0, intersection / unionArea.clamp_min(1), torch::ones_like(unionArea)).sum().item<double>();
  }
  network->train();
  return sum;
}

} // namespace

TrainingSummary runSegmenterTraining(const SegmenterTrainingOptions& o, const ProgressCallback& progress, const std::atomic<bool>& cancel) {
  if (o.model != "kmunet") throw std::invalid_argument("automatic segmenter training supports kmunet (got '" + o.model + "')");
  if (o.inputSize <= 0 || o.inputSize % 32 != 0) throw std::invalid_argument("KM-UNet's input size must be a positive multiple of 32");
  tuneCpuRuntime(o.threads);
  const auto distributed = joinTrainingJob(o.distributedFromEnvironment, o.device, o.distributedTimeoutSeconds);
  DistributedContext& context = *distributed.context;
  const torch::Device device = distributed.device;
  const BatchShard shard = batchShard(o.batchSize, context.rank(), context.worldSize());
  if (context.isMain()) fs::create_directories(o.outDir);
  torch::manual_seed(o.seed);

  const SegmentationSamples all = loadSampleCache(o.cachePath);
  const std::string splitPath = (fs::path(o.outDir) / "split.txt").string();
  const bool keepSplit = o.resume && fs::exists(splitPath);
  const SampleSplit split = keepSplit ? readSplit(all, splitPath) : splitByGroup(all, o.validationFraction, o.seed);
  if (split.training.empty()) throw std::runtime_error("no training cases left after the validation split");
  if (!keepSplit && context.isMain()) {
    std::ofstream out(splitPath);
    for (const auto i : split.training) out << "train\t" << all.names[static_cast<size_t>(i)] << "\n";
    for (const auto i : split.validation) out << "validation\t" << all.names[static_cast<size_t>(i)] << "\n";
  }
  const SegmentationSamples training = all.subset(split.training);
  const SegmentationSamples validation = split.validation.empty() ? SegmentationSamples{} : all.subset(split.validation);
  const int64_t validationCount = o.validationLimit > 0 ? std::min<int64_t>(o.validationLimit, validation.size()) : validation.size();
  const auto myValidation = validationShard(validationCount, context.rank(), context.worldSize());

  KmUnetNetwork network(KmUnetOptions::named(o.variant));
  const auto metadata = kmunetWeightsMetadata(o.variant, o.inputSize, static_cast<int>(network->options().inChannels),
                                              static_cast<int>(network->options().classes));
  if (!o.initWeights.empty()) loadModuleWeights(*network, o.initWeights);
  network->to(device);
  network->train();
  torch::optim::Adam optimizer(network->parameters(), torch::optim::AdamOptions(o.learningRate).weight_decay(o.weightDecay).eps(o.adamEpsilon));
  TrainingCursor cursor;
  if (o.resume && !loadTrainingCheckpoint(o.outDir, *network, optimizer, cursor)) throw std::runtime_error("--resume: no checkpoint in " + o.outDir);
  network->to(device);
  broadcastModuleState(context, *network);
  GradientAverager gradients(network->parameters(), context);
  const auto batchNormSync = context.synchronizeBatchNorm();
  const auto batchShare = context.shareGlobalBatch(o.batchSize, shard.begin);

  const int64_t trainCount = training.size();
  const int64_t stepsPerEpoch = o.stepsPerEpoch > 0 ? o.stepsPerEpoch : std::max<int64_t>(1, trainCount / o.batchSize);
  const AugmentationOptions augmentation{o.inputSize};
  TrainingRunRecord record(o.outDir, "val_iou", cursor, context, progress, o.epochs, stepsPerEpoch, o.batchSize);

  for (int epoch = cursor.epochsDone + 1; epoch <= o.epochs; ++epoch) {
    torch::manual_seed(o.seed * 1000003ull + static_cast<uint64_t>(epoch));
    // Cosine annealing from the learning rate to the minimum over the run (U-KAN's scheduler).
    const double progressOfRun = o.epochs > 1 ? static_cast<double>(epoch - 1) / (o.epochs - 1) : 0.0;
    static_cast<torch::optim::AdamOptions&>(optimizer.param_groups()[0].options())
        .lr(o.minimumLearningRate + 0.5 * (o.learningRate - o.minimumLearningRate) * (1.0 + std::cos(M_PI * progressOfRun)));
    const auto order = epochOrder(trainCount, o.seed, epoch);
    double lossSum = 0.0;
    bool stopRequested = false;
    const auto epochStart = std::chrono::steady_clock::now();
    for (int64_t step = 0; step < stepsPerEpoch; ++step) {
      const auto indices = shardBatchIndices(order, step, o.batchSize, shard);
      std::vector<std::mt19937_64> random;
      for (int64_t j = 0; j < shard.count; ++j) random.emplace_back(sampleSeed(o.seed, epoch, step, shard.begin + j));
      const auto index = torch::tensor(indices, torch::kLong);
      const auto batch = augmentBatch(training.images.index_select(0, index), training.masks.index_select(0, index), augmentation, random);
      const auto logits = network->forward(networkInput(batch.images, network->options().inChannels).to(device));
      // Padding (target −1) counts as background here: the network sees zeros there.
      const auto loss = bceDiceLoss(logits, batch.targets.to(device).clamp_min(0), kUkanBceDiceAlpha);
      optimizer.zero_grad();
      loss.backward();
      gradients.average();
      optimizer.step();
      lossSum += loss.item<double>();
      record.reportStep(epoch, step, lossSum);
      stopRequested = context.anyTrue(cancel.load());
      if (stopRequested) break;
    }
    if (stopRequested) {
      record.summary.cancelled = true; // resume repeats the interrupted epoch
      break;
    }
    const double meanLoss = context.sum(lossSum) / static_cast<double>(context.worldSize() * stepsPerEpoch);
    const double iouSum = context.sum(validationIoUSum(network, validation, myValidation, o.inputSize, o.batchSize, device));
    const double validationIoU = validationCount > 0 ? iouSum / static_cast<double>(validationCount) : 0.0;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - epochStart).count();
    record.finishEpoch(epoch, meanLoss, validationIoU, seconds, *network, optimizer, device, metadata);
  }
  context.barrier();
  return record.summary;
}

} // namespace medclick
