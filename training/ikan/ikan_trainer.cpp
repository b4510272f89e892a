// IKAN's training loop (IKAN §2 and §3, RITM's iterative scheme): per batch, a first click inside
// the object, 0..N rounds without gradient that add a click where the prediction is wrong, then T
// rounds with gradient whose losses are summed with weights W_t = 1..T (eq. 1).

#include "jobs/ikan_training_job.h"

#include "checkpoint/training_checkpoint.h"
#include "checkpoint/training_run_record.h"
#include "clicks/error_click_sampler.h"
#include "clicks/simulated_automatic_mask.h"
#include "training/data/augmentation.h"
#include "training/data/segmentation_samples.h"
#include "distributed/data_shard.h"
#include "distributed/gradient_averager.h"
#include "distributed/training_job_context.h"
#include "engine/device.h"
#include "inference/ikan/ikan_engine.h"
#include "inference/ikan/ikan_network.h"
#include "loop/epoch_loop.h"
#include "losses/soft_iou_loss.h"
#include "weights/safetensors.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

namespace medclick {

namespace fs = std::filesystem;

namespace {

constexpr double kPredictionThreshold = 0.49; // the evaluation protocol's

bool isKanParameter(const std::string& name) { return name.find(".layer.fc") != std::string::npos; }

// Adds each sample's next error click; returns false when no sample had an error left.
bool addErrorClicks(std::vector<ClickList>& clicks, const torch::Tensor& probability, const torch::Tensor& target,
                    std::vector<std::mt19937_64>* random) {
  const auto next = nextErrorClicks(probability.gt(kPredictionThreshold), target, random);
  bool any = false;
  for (size_t b = 0; b < next.size(); ++b)
    if (next[b]) {
      clicks[b].push_back(*next[b]);
      any = true;
    }
  return any;
}

std::vector<size_t> newestClickIndices(const std::vector<ClickList>& clicks) {
  std::vector<size_t> indices;
  for (const auto& list : clicks) indices.push_back(list.empty() ? 0 : list.size() - 1);
  return indices;
}

torch::Tensor forwardProbability(IkanNetwork& network, const torch::Tensor& input, const torch::Tensor& previous,
                                 const std::vector<ClickList>& clicks) {
  return IkanNetworkImpl::foregroundProbability(network->forward(network->prepareInput(input, previous, clicks, newestClickIndices(clicks))))
      .unsqueeze(1);
}

// X_prev before the first click: empty, or for a share of the samples a simulated automatic mask.
torch::Tensor firstPreviousMask(const torch::Tensor& target, double automaticShare, std::vector<std::mt19937_64>& random) {
  auto previous = torch::zeros_like(target);
  if (automaticShare <= 0.0) return previous; // draws nothing: runs without the option repeat exactly
  const auto automatic = simulatedAutomaticProbability(target, random);
  for (int64_t b = 0; b < target.size(0); ++b)
    if (std::uniform_real_distribution<double>(0.0, 1.0)(random[static_cast<size_t>(b)]) < automaticShare) previous[b].copy_(automatic[b]);
  return previous;
}

// The first click goes where X_prev is most wrong: inside the object when X_prev is empty. An
// automatic mask without any error is replaced by an empty one, so every sample has a click.
void addFirstClicks(std::vector<ClickList>& clicks, torch::Tensor& previous, const torch::Tensor& target, std::vector<std::mt19937_64>& random) {
  addErrorClicks(clicks, previous, target, &random);
  bool anyEmpty = false;
  for (size_t b = 0; b < clicks.size(); ++b)
    if (clicks[b].empty()) {
      previous[static_cast<int64_t>(b)].zero_();
      anyEmpty = true;
    }
  if (!anyEmpty) return;
  const auto next = nextErrorClicks(previous.gt(kPredictionThreshold), target, &random);
  for (size_t b = 0; b < clicks.size(); ++b)
    if (clicks[b].empty() && next[b]) clicks[b].push_back(*next[b]);
}

// Mean IoU after `clickCount` simulated clicks (first click and ties as the evaluation protocol),
// over every rank's share of the validation cases.
double validate(IkanNetwork& network, const SegmentationSamples& validation, const IkanTrainingOptions& o, const torch::Device& device,
                DistributedContext& context) {
  if (validation.size() == 0) return 0.0;
  network->eval();
  torch::NoGradGuard noGrad;
  const int64_t limit = o.validationLimit > 0 ? std::min<int64_t>(o.validationLimit, validation.size()) : validation.size();
  const auto mine = validationShard(limit, context.rank(), context.worldSize());
  const auto size = network->options().inputSize;
  double iouSum = 0.0;
  for (size_t start = 0; start < mine.size(); start += static_cast<size_t>(o.batchSize)) {
    const auto count = std::min<size_t>(static_cast<size_t>(o.batchSize), mine.size() - start);
    const auto index = torch::tensor(std::vector<int64_t>(mine.begin() + static_cast<long>(start), mine.begin() + static_cast<long>(start + count)),
                                     torch::kLong);
    const auto batch = resizeBatch(validation.images.index_select(0, index), validation.masks.index_select(0, index), size);
    const auto input = normalizeForNetwork(batch.images).to(device);
    const auto target = batch.targets.to(device);
    std::vector<ClickList> clicks(count);
    auto probability = torch::zeros_like(target);
    for (int k = 0; k < o.validationClicks; ++k) {
      addErrorClicks(clicks, probability, target, nullptr);
      probability = forwardProbability(network, input, probability, clicks);
    }
    const auto predicted = probability.gt(kPredictionThreshold);
    const auto object = target.eq(1);
    const auto intersection = predicted.logical_and(object).flatten(1).sum(1).to(torch::kFloat64);
    const auto unionArea = predicted.logical_or(object).flatten(1).sum(1).to(torch::kFloat64).clamp_min(1);
    iouSum += (intersection / unionArea).sum().item<double>();
  }
  network->train();
  return context.sum(iouSum) / static_cast<double>(limit);
}


} // namespace

TrainingSummary runIkanTraining(const IkanTrainingOptions& o, const ProgressCallback& progress, const std::atomic<bool>& cancel) {
  const StartedTrainingJob started = startTrainingJob(o);
  DistributedContext& context = started.context();
  const torch::Device device = started.job.device;
  const BatchShard shard = started.shard;

  const SegmentationSamples all = loadSampleCache(o.cachePath);
  const std::string splitPath = (fs::path(o.outDir) / "split.txt").string();
  const RunSplit chosen = chooseRunSplit(all, splitPath, o.resume, o.splitPath, o.validationFraction, o.seed);
  const SampleSplit& split = chosen.split;
  if (split.training.empty()) throw std::runtime_error("no training cases left after the validation split");
  if (!chosen.keptFromRun && context.isMain()) writeSplit(splitPath, all, split);
  const SegmentationSamples training = all.subset(split.training);
  const SegmentationSamples validation = split.validation.empty() ? SegmentationSamples{} : all.subset(split.validation);

  IkanOptions networkOptions = IkanOptions::named(o.variant);
  networkOptions.inputSize = o.inputSize;
  IkanNetwork network(networkOptions);
  if (!o.initWeights.empty()) loadModuleWeights(*network, o.initWeights);
  network->to(device);
  network->train();

  std::vector<torch::Tensor> kanParameters, otherParameters;
  for (const auto& item : network->named_parameters()) (isKanParameter(item.key()) ? kanParameters : otherParameters).push_back(item.value());
  const auto adam = [&](double lr) {
    return std::make_unique<torch::optim::AdamOptions>(torch::optim::AdamOptions(lr).betas({0.9, 0.999}).eps(o.adamEpsilon));
  };
  torch::optim::Adam optimizer({torch::optim::OptimizerParamGroup(otherParameters, adam(o.learningRate)),
                                torch::optim::OptimizerParamGroup(kanParameters, adam(o.kanLearningRate))},
                               torch::optim::AdamOptions(o.learningRate).eps(o.adamEpsilon));

  TrainingCursor cursor;
  if (o.resume && !loadTrainingCheckpoint(o.outDir, *network, optimizer, cursor))
    throw std::runtime_error("--resume: no checkpoint in " + o.outDir);
  network->to(device);
  broadcastModuleState(context, *network); // every rank starts from rank 0's weights
  GradientAverager gradients(network->parameters(), context);
  const auto batchNormSync = context.synchronizeBatchNorm();
  const auto batchShare = context.shareGlobalBatch(o.batchSize, shard.begin);

  std::vector<int> milestones = o.milestones;
  if (milestones.empty()) milestones.push_back(std::max(1, o.epochs * 2 / 3));
  const auto learningRateScale = [&](int epoch) { // MultiStepLR, ×0.1 at each milestone passed
    double scale = 1.0;
    for (const int m : milestones) scale *= epoch > m ? 0.1 : 1.0;
    return scale;
  };

  const auto weights = increasingRoundWeights(o.gradientRounds);
  const AugmentationOptions augmentation{network->options().inputSize};
  EpochLoop loop = epochLoopFor(o, training.size());
  TrainingRunRecord record(o.outDir, "val_miou_at_" + std::to_string(o.validationClicks) + "_clicks", cursor, context, progress, o.epochs,
                           loop.stepsPerEpoch, o.batchSize);
  loop.patience = o.patience;
  loop.weightsMetadata = ikanWeightsMetadata(o.variant, static_cast<int>(network->options().inputSize));
  loop.startEpoch = [&](int epoch) {
    const double scale = learningRateScale(epoch);
    static_cast<torch::optim::AdamOptions&>(optimizer.param_groups()[0].options()).lr(o.learningRate * scale);
    static_cast<torch::optim::AdamOptions&>(optimizer.param_groups()[1].options()).lr(o.kanLearningRate * scale);
  };
  loop.loss = [&](const TrainingStep& step) {
    auto& random = step.random;
    std::mt19937_64 stepRandom(sampleSeed(o.seed, step.epoch, step.step, -1)); // what the whole global batch shares
    const auto index = torch::tensor(step.cases, torch::kLong);
    const auto batch = augmentBatch(training.images.index_select(0, index), training.masks.index_select(0, index), augmentation, random);
    const auto input = normalizeForNetwork(batch.images).to(device);
    const auto target = batch.targets.to(device);

    std::vector<ClickList> clicks(step.cases.size());
    auto previous = firstPreviousMask(target, o.automaticStartShare, random);
    addFirstClicks(clicks, previous, target, random);
    {
      torch::NoGradGuard noGrad;
      const int rounds = std::uniform_int_distribution<int>(0, o.maxNoGradientRounds)(stepRandom);
      for (int r = 0; r < rounds; ++r) {
        previous = forwardProbability(network, input, previous, clicks);
        addErrorClicks(clicks, previous, target, &random);
      }
    }
    std::vector<torch::Tensor> predictions;
    for (int t = 0; t < o.gradientRounds; ++t) {
      const auto probability = forwardProbability(network, input, previous.detach(), clicks);
      predictions.push_back(probability);
      previous = probability.detach();
      if (t + 1 < o.gradientRounds) addErrorClicks(clicks, previous, target, &random);
    }
    return iterationLoss(predictions, target, weights); // the iteration loss (soft_iou_loss.h), the mean over this rank's share
  };
  loop.validate = [&] { return validate(network, validation, o, device, context); };
  return runEpochLoop(loop, {*network, optimizer, gradients, context, shard, device, record}, cursor.epochsDone + 1, cancel);
}

} // namespace medclick
