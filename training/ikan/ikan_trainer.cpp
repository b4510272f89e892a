// IKAN's training loop (IKAN §2 and §3, RITM's iterative scheme): per batch, a first click inside
// the object, 0..N rounds without gradient that add a click where the prediction is wrong, then T
// rounds with gradient whose losses are summed with weights W_t = 1..T (eq. 1).

#include "jobs/ikan_training_job.h"

#include "checkpoint/training_checkpoint.h"
#include "clicks/error_click_sampler.h"
#include "data/augmentation.h"
#include "data/segmentation_samples.h"
#include "engine/device.h"
#include "ikan/ikan_engine.h"
#include "ikan/ikan_network.h"
#include "losses/soft_iou_loss.h"
#include "runtime/cpu_tuning.h"
#include "weights/safetensors.h"

#include <chrono>
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
                    std::mt19937_64* random) {
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

// Mean IoU after `clickCount` simulated clicks (first click and ties as the evaluation protocol).
double validate(IkanNetwork& network, const SegmentationSamples& validation, const IkanTrainingOptions& o, const torch::Device& device) {
  if (validation.size() == 0) return 0.0;
  network->eval();
  torch::NoGradGuard noGrad;
  const int64_t limit = o.validationLimit > 0 ? std::min<int64_t>(o.validationLimit, validation.size()) : validation.size();
  const auto size = network->options().inputSize;
  double iouSum = 0.0;
  for (int64_t start = 0; start < limit; start += o.batchSize) {
    const auto count = std::min<int64_t>(o.batchSize, limit - start);
    const auto batch = resizeBatch(validation.images.narrow(0, start, count), validation.masks.narrow(0, start, count), size);
    const auto input = normalizeForNetwork(batch.images).to(device);
    const auto target = batch.targets.to(device);
    std::vector<ClickList> clicks(static_cast<size_t>(count));
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
  return iouSum / static_cast<double>(limit);
}

void writeSplit(const std::string& path, const SegmentationSamples& all, const SampleSplit& split) {
  std::ofstream out(path);
  for (const auto i : split.training) out << "train\t" << all.names[static_cast<size_t>(i)] << "\n";
  for (const auto i : split.validation) out << "validation\t" << all.names[static_cast<size_t>(i)] << "\n";
}

} // namespace

TrainingSummary runIkanTraining(const IkanTrainingOptions& o, const ProgressCallback& progress, const std::atomic<bool>& cancel) {
  tuneCpuRuntime(o.threads);
  const torch::Device device = chooseDevice(o.device);
  fs::create_directories(o.outDir);
  torch::manual_seed(o.seed);
  std::mt19937_64 random(o.seed);

  const SegmentationSamples all = loadSampleCache(o.cachePath);
  const std::string splitPath = (fs::path(o.outDir) / "split.txt").string();
  const bool keepSplit = o.resume && fs::exists(splitPath); // never move cases between splits mid-run
  const SampleSplit split = keepSplit ? readSplit(all, splitPath) : splitByGroup(all, o.validationFraction, o.seed);
  if (split.training.empty()) throw std::runtime_error("no training cases left after the validation split");
  if (!keepSplit) writeSplit(splitPath, all, split);
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
  const auto adam = [](double lr) { return std::make_unique<torch::optim::AdamOptions>(torch::optim::AdamOptions(lr).betas({0.9, 0.999}).eps(1e-8)); };
  torch::optim::Adam optimizer({torch::optim::OptimizerParamGroup(otherParameters, adam(o.learningRate)),
                                torch::optim::OptimizerParamGroup(kanParameters, adam(o.kanLearningRate))},
                               torch::optim::AdamOptions(o.learningRate));

  TrainingCursor cursor;
  if (o.resume && !loadTrainingCheckpoint(o.outDir, *network, optimizer, cursor))
    throw std::runtime_error("--resume: no checkpoint in " + o.outDir);
  network->to(device);

  std::vector<int> milestones = o.milestones;
  if (milestones.empty()) milestones.push_back(std::max(1, o.epochs * 2 / 3));
  const auto learningRateScale = [&](int epoch) { // MultiStepLR, ×0.1 at each milestone passed
    double scale = 1.0;
    for (const int m : milestones) scale *= epoch > m ? 0.1 : 1.0;
    return scale;
  };

  const int64_t trainCount = training.size();
  const int64_t stepsPerEpoch = o.stepsPerEpoch > 0 ? o.stepsPerEpoch : std::max<int64_t>(1, trainCount / o.batchSize);
  const auto weights = increasingRoundWeights(o.gradientRounds);
  const AugmentationOptions augmentation{network->options().inputSize};
  // A new run starts its own curves; a resumed one continues them.
  std::ofstream metrics((fs::path(o.outDir) / "metrics.csv").string(), cursor.epochsDone == 0 ? std::ios::trunc : std::ios::app);
  if (cursor.epochsDone == 0) metrics << "epoch,train_loss,val_miou_at_" << o.validationClicks << "_clicks,seconds\n";

  TrainingSummary summary;
  summary.bestEpoch = cursor.bestEpoch;
  summary.bestValidationIoU = cursor.bestMetric;
  summary.bestWeightsPath = (fs::path(o.outDir) / "best.safetensors").string();
  const auto jobStart = std::chrono::steady_clock::now();
  long long stepsThisJob = 0;
  int epochsWithoutImprovement = 0;

  for (int epoch = cursor.epochsDone + 1; epoch <= o.epochs; ++epoch) {
    // Each epoch's randomness comes from (seed, epoch) alone, so a resumed job repeats exactly what
    // an uninterrupted one would have done.
    random.seed(o.seed * 1000003ull + static_cast<uint64_t>(epoch));
    torch::manual_seed(o.seed * 1000003ull + static_cast<uint64_t>(epoch));
    const double scale = learningRateScale(epoch);
    static_cast<torch::optim::AdamOptions&>(optimizer.param_groups()[0].options()).lr(o.learningRate * scale);
    static_cast<torch::optim::AdamOptions&>(optimizer.param_groups()[1].options()).lr(o.kanLearningRate * scale);
    std::vector<int64_t> order(static_cast<size_t>(trainCount));
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), random);
    double lossSum = 0.0;
    const auto epochStart = std::chrono::steady_clock::now();

    for (int64_t step = 0; step < stepsPerEpoch; ++step) {
      std::vector<int64_t> indices;
      for (int b = 0; b < o.batchSize; ++b) indices.push_back(order[static_cast<size_t>((step * o.batchSize + b) % trainCount)]);
      const auto index = torch::tensor(indices, torch::kLong);
      const auto batch = augmentBatch(training.images.index_select(0, index), training.masks.index_select(0, index), augmentation, random);
      const auto input = normalizeForNetwork(batch.images).to(device);
      const auto target = batch.targets.to(device);

      std::vector<ClickList> clicks(indices.size());
      auto previous = torch::zeros_like(target);
      addErrorClicks(clicks, previous, target, &random); // the first click: inside the object
      {
        torch::NoGradGuard noGrad;
        const int rounds = std::uniform_int_distribution<int>(0, o.maxNoGradientRounds)(random);
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
      const auto loss = iterationLoss(predictions, target, weights); // IKAN eq. (1)
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      lossSum += loss.item<double>();
      ++cursor.globalStep;
      ++stepsThisJob;

      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - jobStart).count();
      TrainingProgress report;
      report.epoch = epoch;
      report.epochs = o.epochs;
      report.step = step + 1;
      report.stepsPerEpoch = stepsPerEpoch;
      report.loss = lossSum / static_cast<double>(step + 1);
      report.samplesPerSecond = static_cast<double>(stepsThisJob * o.batchSize) / std::max(elapsed, 1e-9);
      const double stepsLeft = static_cast<double>((o.epochs - epoch) * stepsPerEpoch + (stepsPerEpoch - step - 1));
      report.etaSeconds = stepsLeft * elapsed / static_cast<double>(stepsThisJob);
      if (progress) progress(report);
      if (cancel.load()) break;
    }

    const bool epochComplete = !cancel.load();
    if (!epochComplete) {
      summary.cancelled = true;
      // The interrupted epoch is not counted: resume repeats it from the last finished one.
      break;
    }
    const double validationIoU = validate(network, validation, o, device);
    cursor.epochsDone = epoch;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - epochStart).count();
    metrics << epoch << "," << lossSum / static_cast<double>(stepsPerEpoch) << "," << validationIoU << "," << seconds << std::endl;
    if (validationIoU > cursor.bestMetric) {
      cursor.bestMetric = validationIoU;
      cursor.bestEpoch = epoch;
      epochsWithoutImprovement = 0;
      network->to(torch::kCPU);
      auto metadata = ikanWeightsMetadata(o.variant, static_cast<int>(network->options().inputSize));
      metadata["epoch"] = std::to_string(epoch);
      metadata["val_miou_at_" + std::to_string(o.validationClicks) + "_clicks"] = std::to_string(validationIoU);
      saveModuleWeights(*network, summary.bestWeightsPath, metadata);
      network->to(device);
    } else {
      ++epochsWithoutImprovement;
    }
    network->to(torch::kCPU);
    saveTrainingCheckpoint(o.outDir, *network, optimizer, cursor, ikanWeightsMetadata(o.variant, static_cast<int>(network->options().inputSize)));
    network->to(device);
    summary.epochsRun = epoch;
    summary.bestEpoch = cursor.bestEpoch;
    summary.bestValidationIoU = cursor.bestMetric;

    TrainingProgress report;
    report.epoch = epoch;
    report.epochs = o.epochs;
    report.step = stepsPerEpoch;
    report.stepsPerEpoch = stepsPerEpoch;
    report.loss = lossSum / static_cast<double>(stepsPerEpoch);
    report.validated = true;
    report.validationIoU = validationIoU;
    if (progress) progress(report);
    if (o.patience > 0 && epochsWithoutImprovement >= o.patience) break;
  }
  return summary;
}

} // namespace medclick
