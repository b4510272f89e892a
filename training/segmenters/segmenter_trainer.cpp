// The automatic segmenters' training job (jobs/segmenter_training_job.h): one loop for KM-UNet and
// KANU-Net, data-parallel like the other trainers. What differs between them — network, input,
// augmentation, loss weight, optimizer, schedule and validation metric — is chosen once, up front.

#include "jobs/segmenter_training_job.h"

#include "checkpoint/training_checkpoint.h"
#include "checkpoint/training_run_record.h"
#include "training/data/augmentation.h"
#include "training/data/kanunet_augmentation.h"
#include "training/data/segmentation_samples.h"
#include "distributed/data_shard.h"
#include "distributed/gradient_averager.h"
#include "distributed/training_job_context.h"
#include "kanunet/kanunet_network.h"
#include "kanunet/kanunet_preprocessing.h"
#include "kanunet/kanunet_segmenter.h"
#include "kmunet/kmunet_network.h"
#include "kmunet/kmunet_segmenter.h"
#include "loop/epoch_loop.h"
#include "losses/bce_dice_loss.h"
#include "weights/safetensors.h"
#include "weights/weight_transfer.h"

#include <cstdio>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>

namespace medclick {

namespace fs = std::filesystem;

namespace {

constexpr double kUkanBceDiceAlpha = 1.0 / 3.0; // 0.5·BCE + 1·Dice = 1.5·(⅓·BCE + ⅔·Dice)

// A training batch as the network takes it, and its targets (1 object, 0 background; KM-UNet's
// padding, −1, counts as background: the network sees zeros there).
struct NetworkBatch {
  torch::Tensor input, targets;
};

// What differs between the segmenters.
struct SegmenterSetup {
  std::shared_ptr<torch::nn::Module> module;
  std::function<torch::Tensor(const torch::Tensor&)> forward;
  std::map<std::string, std::string> metadata;
  double lossAlpha = kKanUnetLossAlpha;
  std::string metricName;
  // Training batch from the cached samples of one step (one random stream per sample).
  std::function<NetworkBatch(const torch::Tensor& images, const torch::Tensor& masks, std::vector<std::mt19937_64>& random)> trainingBatch;
  // The batch validation sees (no augmentation).
  std::function<NetworkBatch(const torch::Tensor& images, const torch::Tensor& masks)> validationBatch;
};

// Per-image z-score, repeated to the network's channels: what KmUnetSegmenter feeds the network.
torch::Tensor kmunetInput(const torch::Tensor& images, int64_t channels) {
  const auto flat = images.flatten(1);
  const auto mean = flat.mean(1).view({-1, 1, 1, 1});
  const auto std = flat.std(1).clamp_min(1e-6).view({-1, 1, 1, 1});
  return ((images - mean) / std).expand({-1, channels, -1, -1}).contiguous();
}

SegmenterSetup kmunetSetup(const SegmenterTrainingOptions& o, const SegmentationSamples& samples) {
  if (o.inputSize <= 0 || o.inputSize % 32 != 0) throw std::invalid_argument("KM-UNet's input size must be a positive multiple of 32");
  if (samples.images.size(1) != 1 || samples.masks.size(1) != 1)
    throw std::invalid_argument("KM-UNet trains on a 2D cache of grey images and binary masks (train --model kmunet --data IMAGES)");
  KmUnetNetwork network(KmUnetOptions::named(o.variant));
  SegmenterSetup setup;
  setup.module = network.ptr();
  setup.forward = [network](const torch::Tensor& x) mutable { return network->forward(x); };
  const int64_t channels = network->options().inChannels;
  setup.metadata = kmunetWeightsMetadata(o.variant, o.inputSize, static_cast<int>(channels), static_cast<int>(network->options().classes));
  setup.lossAlpha = kUkanBceDiceAlpha;
  setup.metricName = "val_iou";
  const AugmentationOptions augmentation{o.inputSize};
  setup.trainingBatch = [augmentation, channels](const torch::Tensor& images, const torch::Tensor& masks, std::vector<std::mt19937_64>& random) {
    const auto batch = augmentBatch(images, masks, augmentation, random);
    return NetworkBatch{kmunetInput(batch.images, channels), batch.targets.clamp_min(0)};
  };
  const int64_t size = o.inputSize;
  setup.validationBatch = [size, channels](const torch::Tensor& images, const torch::Tensor& masks) {
    const auto batch = resizeBatch(images, masks, size);
    return NetworkBatch{kmunetInput(batch.images, channels), batch.targets.clamp_min(0)};
  };
  return setup;
}

SegmenterSetup kanunetSetup(const SegmenterTrainingOptions& o, const SegmentationSamples& samples) {
  const int64_t channels = samples.images.size(1), classes = samples.masks.size(1), size = samples.images.size(2);
  if (size % 16 != 0) throw std::invalid_argument("KANU-Net's slices must be a multiple of 16 on a side (the cache's crop)");
  std::vector<double> gamma = o.gamma.empty() ? std::vector<double>(static_cast<size_t>(channels), 1.0) : o.gamma;
  if (static_cast<int64_t>(gamma.size()) != channels)
    throw std::invalid_argument(std::to_string(gamma.size()) + " gamma values for " + std::to_string(channels) + " modalities in the cache");
  auto networkOptions = KanUnetOptions::named(o.variant);
  networkOptions.inChannels = channels;
  networkOptions.classes = classes;
  KanUnetNetwork network(networkOptions);
  SegmenterSetup setup;
  setup.module = network.ptr();
  setup.forward = [network](const torch::Tensor& x) mutable { return network->forward(x); };
  setup.metadata = kanunetWeightsMetadata(o.variant, static_cast<int>(size), static_cast<int>(channels), static_cast<int>(classes), gamma);
  setup.lossAlpha = kKanUnetLossAlpha;
  setup.metricName = "val_mean_dice";
  const auto gammaTensor = torch::tensor(std::vector<float>(gamma.begin(), gamma.end()));
  const SliceAugmentationOptions augmentation;
  setup.trainingBatch = [augmentation, gammaTensor](const torch::Tensor& images, const torch::Tensor& masks, std::vector<std::mt19937_64>& random) {
    const auto batch = augmentSlices(images, masks, augmentation, random);
    return NetworkBatch{kanunetNetworkInput(batch.images, gammaTensor), batch.masks.to(torch::kFloat32)};
  };
  setup.validationBatch = [gammaTensor](const torch::Tensor& images, const torch::Tensor& masks) {
    return NetworkBatch{kanunetNetworkInput(images, gammaTensor), masks.to(torch::kFloat32)};
  };
  return setup;
}

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const SegmenterTrainingOptions& o, const std::vector<torch::Tensor>& parameters) {
  if (o.model == "kanunet")
    return std::make_unique<torch::optim::AdamW>(parameters, torch::optim::AdamWOptions(o.learningRate).weight_decay(o.weightDecay).eps(o.adamEpsilon));
  return std::make_unique<torch::optim::Adam>(parameters, torch::optim::AdamOptions(o.learningRate).weight_decay(o.weightDecay).eps(o.adamEpsilon));
}

// This rank's sums for the validation metric: KM-UNet's per-image IoU (of class 0) and a count;
// KANU-Net's per-class intersection and prediction + target areas, pooled over the slices.
std::vector<double> validationSums(SegmenterSetup& setup, const SegmentationSamples& validation, const std::vector<int64_t>& mine,
                                   int batchSize, const torch::Device& device, bool pooledDice) {
  setup.module->eval();
  torch::NoGradGuard noGrad;
  const int64_t classes = validation.size() > 0 ? validation.masks.size(1) : 1;
  std::vector<double> sums(pooledDice ? static_cast<size_t>(2 * classes) : 1, 0.0);
  for (size_t start = 0; start < mine.size(); start += static_cast<size_t>(batchSize)) {
    const auto count = std::min<size_t>(static_cast<size_t>(batchSize), mine.size() - start);
    const auto index = torch::tensor(std::vector<int64_t>(mine.begin() + static_cast<long>(start), mine.begin() + static_cast<long>(start + count)),
                                     torch::kLong);
    const auto batch = setup.validationBatch(validation.images.index_select(0, index), validation.masks.index_select(0, index));
    const auto predicted = torch::sigmoid(setup.forward(batch.input.to(device))).gt(0.5);
    const auto object = batch.targets.to(device).eq(1);
    if (pooledDice) {
      const auto intersection = predicted.logical_and(object).sum({0, 2, 3}).to(torch::kFloat64).cpu();
      const auto areas = (predicted.sum({0, 2, 3}) + object.sum({0, 2, 3})).to(torch::kFloat64).cpu();
      for (int64_t k = 0; k < classes; ++k) {
        sums[static_cast<size_t>(2 * k)] += intersection[k].item<double>();
        sums[static_cast<size_t>(2 * k + 1)] += areas[k].item<double>();
      }
    } else {
      const auto p = predicted.narrow(1, 0, 1), g = object.narrow(1, 0, 1);
      const auto intersection = p.logical_and(g).flatten(1).sum(1).to(torch::kFloat64);
      const auto unionArea = p.logical_or(g).flatten(1).sum(1).to(torch::kFloat64);
      sums[0] += torch::where(unionArea > 0, intersection / unionArea.clamp_min(1), torch::ones_like(unionArea)).sum().item<double>();
    }
  }
  setup.module->train();
  return sums;
}

} // namespace

double segmenterLearningRate(const SegmenterTrainingOptions& o, int epoch) {
  const bool restarts = o.model == "kanunet";
  double fraction = 0.0; // T_cur / T_i
  if (restarts) {
    const int cycle = std::max(1, o.restartEveryEpochs);
    fraction = static_cast<double>((epoch - 1) % cycle) / cycle;
  } else if (o.epochs > 1) { // U-KAN's annealing reaches the minimum at the last epoch
    fraction = static_cast<double>(epoch - 1) / (o.epochs - 1);
  }
  return o.minimumLearningRate + 0.5 * (o.learningRate - o.minimumLearningRate) * (1.0 + std::cos(M_PI * fraction));
}

SegmenterTrainingOptions SegmenterTrainingOptions::kanunetRecipe() {
  SegmenterTrainingOptions o;
  o.model = "kanunet";
  o.batchSize = 2;
  o.learningRate = 1e-4;
  o.minimumLearningRate = 1e-6;
  o.weightDecay = 1e-6;
  return o;
}

TrainingSummary runSegmenterTraining(const SegmenterTrainingOptions& o, const ProgressCallback& progress, const std::atomic<bool>& cancel) {
  if (o.model != "kmunet" && o.model != "kanunet")
    throw std::invalid_argument("automatic segmenter training supports kmunet and kanunet (got '" + o.model + "')");
  const StartedTrainingJob started = startTrainingJob(o);
  DistributedContext& context = started.context();
  const torch::Device device = started.job.device;
  const BatchShard shard = started.shard;

  const SegmentationSamples all = loadSampleCache(o.cachePath);
  const bool kanunet = o.model == "kanunet";
  SegmenterSetup setup = kanunet ? kanunetSetup(o, all) : kmunetSetup(o, all);
  const std::string splitPath = (fs::path(o.outDir) / "split.txt").string();
  const RunSplit chosen = chooseRunSplit(all, splitPath, o.resume, o.splitPath, o.validationFraction, o.seed);
  const SampleSplit& split = chosen.split;
  if (split.training.empty()) throw std::runtime_error("no training cases left after the validation split");
  if (!chosen.keptFromRun && context.isMain()) writeSplit(splitPath, all, split);
  const SegmentationSamples training = all.subset(split.training);
  const SegmentationSamples validation = split.validation.empty() ? SegmentationSamples{} : all.subset(split.validation);
  const int64_t validationCount = o.validationLimit > 0 ? std::min<int64_t>(o.validationLimit, validation.size()) : validation.size();
  const auto myValidation = validationShard(validationCount, context.rank(), context.worldSize());

  torch::nn::Module& network = *setup.module;
  if (!o.initWeights.empty()) loadModuleWeights(network, o.initWeights);
  if (!o.transferWeights.empty() && !o.resume) {
    const WeightTransferReport transfer = transferMatchingWeights(network, o.transferWeights);
    if (context.isMain() && progress) {
      char counts[128];
      std::snprintf(counts, sizeof counts, "transferred %zu of %zu tensors (%.1f %% of the values) from ", transfer.copied.size(),
                    transfer.copied.size() + transfer.misShaped.size() + transfer.notInFile.size(),
                    100.0 * static_cast<double>(transfer.copiedValues) / static_cast<double>(transfer.moduleValues));
      TrainingProgress report;
      report.epochs = o.epochs;
      report.note = counts + o.transferWeights;
      progress(report);
    }
  }
  network.to(device);
  network.train();
  auto optimizer = makeOptimizer(o, network.parameters());
  TrainingCursor cursor;
  if (o.resume && !loadTrainingCheckpoint(o.outDir, network, *optimizer, cursor)) throw std::runtime_error("--resume: no checkpoint in " + o.outDir);
  network.to(device);
  broadcastModuleState(context, network);
  GradientAverager gradients(network.parameters(), context);
  const auto batchNormSync = context.synchronizeBatchNorm();
  const auto batchShare = context.shareGlobalBatch(o.batchSize, shard.begin);

  EpochLoop loop = epochLoopFor(o, training.size());
  TrainingRunRecord record(o.outDir, setup.metricName, cursor, context, progress, o.epochs, loop.stepsPerEpoch, o.batchSize);
  loop.weightsMetadata = setup.metadata;
  loop.startEpoch = [&](int epoch) {
    for (auto& group : optimizer->param_groups()) group.options().set_lr(segmenterLearningRate(o, epoch));
  };
  loop.loss = [&](const TrainingStep& step) {
    const auto index = torch::tensor(step.cases, torch::kLong);
    const auto batch = setup.trainingBatch(training.images.index_select(0, index), training.masks.index_select(0, index), step.random);
    return bceDiceLoss(setup.forward(batch.input.to(device)), batch.targets.to(device), setup.lossAlpha);
  };
  loop.validate = [&] {
    auto sums = validationSums(setup, validation, myValidation, o.batchSize, device, kanunet);
    for (auto& value : sums) value = context.sum(value);
    if (validationCount == 0) return 0.0;
    double metric = 0.0;
    if (kanunet) { // mean over the classes of the pooled Dice; a class absent from both counts as perfect
      for (size_t k = 0; k < sums.size() / 2; ++k) metric += sums[2 * k + 1] > 0 ? 2.0 * sums[2 * k] / sums[2 * k + 1] : 1.0;
      return metric / static_cast<double>(sums.size() / 2);
    }
    return sums[0] / static_cast<double>(validationCount);
  };
  return runEpochLoop(loop, {network, *optimizer, gradients, context, shard, device, record}, cursor.epochsDone + 1, cancel);
}

} // namespace medclick
