// CAISeg's training job (§III-D–F, §IV-B): patches of the 3D cache, augmented (§IV-A), three
// simulated rounds per batch with the loss of eq. (12) on the last, Adam (lr 1e-3, L2 1e-4) with a
// step decay, validation Dice after three rounds, checkpoints every epoch.

#include "training/caiseg/caiseg_trainer.h"

#include "checkpoint/training_checkpoint.h"
#include "checkpoint/training_run_record.h"
#include "distributed/data_shard.h"
#include "distributed/gradient_averager.h"
#include "distributed/training_job_context.h"
#include "engine/device.h"
#include "jobs/caiseg_training_job.h"
#include "loop/epoch_loop.h"
#include "weights/safetensors.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <stdexcept>

namespace medclick {

namespace fs = std::filesystem;

namespace {

constexpr double kMaskThreshold = 0.5;

std::vector<int64_t> volumeSize(const torch::Tensor& targets) { return {targets.size(1), targets.size(2), targets.size(3)}; }

torch::Tensor binaryMask(const CaisegOutput& output) {
  return CaisegNetworkImpl::foregroundProbability(output.logits).gt(kMaskThreshold).unsqueeze(1).to(torch::kFloat32); // S_p [B, 1, D, H, W]
}

void writeSplit(const std::string& path, const VolumeSamples& all, const SampleSplit& split) {
  std::ofstream out(path);
  for (const auto i : split.training) out << "train\t" << all[static_cast<size_t>(i)].name << "\n";
  for (const auto i : split.validation) out << "validation\t" << all[static_cast<size_t>(i)].name << "\n";
}

VolumeSamples subset(const VolumeSamples& all, const std::vector<int64_t>& indices) {
  VolumeSamples part;
  for (const auto i : indices) part.push_back(all[static_cast<size_t>(i)]);
  return part;
}

} // namespace

torch::Tensor zScore(const torch::Tensor& patch, const torch::Tensor& wholeCase) {
  const auto reference = wholeCase.to(torch::kFloat32);
  const double std = reference.std().item<double>();
  if (std <= 1e-8) return torch::zeros_like(patch, torch::kFloat32);
  return (patch.to(torch::kFloat32) - reference.mean()) / std;
}

CaisegBatch makeTrainingBatch(const VolumeSamples& cases, const std::vector<int64_t>& indices, const std::array<int64_t, 3>& patchSize,
                              double lesionProbability, const VolumeAugmentationOptions* augmentation, std::vector<std::mt19937_64>& randomPerSample,
                              const torch::Device& device, bool anisotropic) {
  if (randomPerSample.size() != indices.size()) throw std::invalid_argument("makeTrainingBatch: one random stream per sample is needed");
  std::vector<torch::Tensor> images, targets;
  CaisegBatch batch;
  // One shape per batch: the largest of its cases' engine-shaped patches (trainingPatchSize).
  std::array<int64_t, 3> size{0, 0, 0};
  for (const auto index : indices) {
    const auto own = trainingPatchSize(cases[static_cast<size_t>(index)], patchSize, anisotropic);
    for (size_t a = 0; a < 3; ++a) size[a] = std::max(size[a], own[a]);
  }
  for (size_t b = 0; b < indices.size(); ++b) {
    auto& random = randomPerSample[b];
    const auto& volume = cases[static_cast<size_t>(indices[b])];
    auto patch = samplePatch(volume, size, lesionProbability, random);
    if (augmentation) {
      const auto augmented = augmentVolume(patch.image, patch.mask, volume.spacing, *augmentation, random);
      patch.image = augmented.image;
      patch.mask = augmented.mask;
    }
    images.push_back(zScore(patch.image, volume.image).unsqueeze(0));
    targets.push_back(patch.mask.to(torch::kFloat32));
    batch.spacings.push_back(volume.spacing);
  }
  batch.images = torch::stack(images).to(device);
  batch.targets = torch::stack(targets).to(device);
  return batch;
}

torch::Tensor caisegIterationLoss(CaisegNetwork& network, const CaisegBatch& batch, int rounds, double mu,
                                  const CaisegClickOptions& clicks, const FocusGuidedLossOptions& lossOptions, std::vector<std::mt19937_64>& random) {
  const auto B = batch.images.size(0);
  if (static_cast<int64_t>(random.size()) != B) throw std::invalid_argument("caisegIterationLoss: one random stream per sample is needed");
  const auto lesions = batch.targets.to(torch::kCPU).gt(0.5);
  std::vector<CaisegPrompt> prompts;
  for (int64_t b = 0; b < B; ++b) prompts.push_back(firstRoundPrompt(lesions[b], batch.spacings[static_cast<size_t>(b)], clicks, random[static_cast<size_t>(b)]));
  const auto features = network->encode(batch.images);
  torch::Tensor previous; // S_p: zeros in round one
  for (int round = 1; round < rounds; ++round) {
    {
      torch::NoGradGuard noGrad;
      previous = binaryMask(network->refine(features, prompts, previous, false));
    }
    const auto predicted = previous.squeeze(1).to(torch::kCPU).gt(0.5);
    for (int64_t b = 0; b < B; ++b) addErrorRegionPoints(prompts[static_cast<size_t>(b)], predicted[b], lesions[b], clicks, random[static_cast<size_t>(b)]);
  }
  const auto output = network->refine(features, prompts, previous, true);
  const auto weights = focusGuidedWeightBatch(volumeSize(batch.targets), prompts, lossOptions.lambda, batch.targets.device());
  const auto foregroundLogit = output.logits.select(1, 1) - output.logits.select(1, 0); // softmax over 2 classes = sigmoid of this
  return caisegLoss(foregroundLogit, output.classLogit, batch.targets, weights, mu, lossOptions.nu); // eq. (12), last round
}

double caisegValidationDiceSum(CaisegNetwork& network, const VolumeSamples& cases, const std::array<int64_t, 3>& patchSize, int rounds,
                               const torch::Device& device, bool anisotropic) {
  if (cases.empty()) return 0.0;
  const bool wasTraining = network->is_training();
  network->eval();
  torch::NoGradGuard noGrad;
  double diceSum = 0.0;
  for (const auto& volume : cases) {
    const auto patch = lesionCentredPatch(volume, trainingPatchSize(volume, patchSize, anisotropic));
    const auto image = zScore(patch.image, volume.image).unsqueeze(0).unsqueeze(0).to(device);
    const auto lesion = patch.mask.gt(0);
    const auto features = network->encode(image);
    std::vector<CaisegPrompt> prompt(1);
    prompt[0].spacing = volume.spacing;
    torch::Tensor previous;
    for (int round = 1; round <= rounds; ++round) {
      if (round > 1) { // round one: no point (§IV-B2)
        const auto point = largestErrorRegionPoint(previous.squeeze(0).squeeze(0).to(torch::kCPU).gt(0.5), lesion, volume.spacing);
        if (point) (point->foreground ? prompt[0].foreground : prompt[0].background).push_back(point->point);
      }
      previous = binaryMask(network->refine(features, prompt, previous, false));
    }
    const auto predicted = previous.squeeze(0).squeeze(0).to(torch::kCPU).gt(0.5);
    const double overlap = static_cast<double>(predicted.logical_and(lesion).sum().item<int64_t>());
    const double total = static_cast<double>(predicted.sum().item<int64_t>() + lesion.sum().item<int64_t>());
    diceSum += total > 0 ? 2.0 * overlap / total : 1.0;
  }
  if (wasTraining) network->train();
  return diceSum;
}

TrainingSummary runCaisegTraining(const CaisegTrainingOptions& o, const ProgressCallback& progress, const std::atomic<bool>& cancel) {
  const StartedTrainingJob started = startTrainingJob(o);
  DistributedContext& context = started.context();
  const torch::Device device = started.job.device;
  const BatchShard shard = started.shard;

  const VolumeSamples all = loadVolumeCache(o.cachePath);
  const std::string splitPath = (fs::path(o.outDir) / "split.txt").string();
  const bool keepSplit = o.resume && fs::exists(splitPath); // never move cases between splits mid-run
  const SampleSplit split = keepSplit ? readVolumeSplit(all, splitPath) : splitVolumesByGroup(all, o.validationFraction, o.seed);
  if (split.training.empty()) throw std::runtime_error("no training cases left after the validation split");
  if (!keepSplit && context.isMain()) writeSplit(splitPath, all, split);
  const VolumeSamples training = subset(all, split.training);
  VolumeSamples validation = subset(all, split.validation);
  if (o.validationLimit > 0 && static_cast<int>(validation.size()) > o.validationLimit) validation.resize(static_cast<size_t>(o.validationLimit));
  const VolumeSamples myValidation = subset(validation, validationShard(static_cast<int64_t>(validation.size()), context.rank(), context.worldSize()));

  CaisegOptions networkOptions = CaisegOptions::named(o.variant, o.anisotropic);
  if (o.baseWidth > 0) networkOptions.backbone.baseWidth = o.baseWidth;
  auto metadata = caisegWeightsMetadata(networkOptions);
  metadata["base_width"] = std::to_string(networkOptions.backbone.baseWidth);
  CaisegNetwork network(networkOptions);
  if (!o.initWeights.empty()) loadModuleWeights(*network, o.initWeights);
  network->to(device);
  network->train();
  // §IV-B3: Adam, initial learning rate 1e-3, L2 regularisation 1e-4 (Adam's weight decay is L2).
  torch::optim::Adam optimizer(network->parameters(), torch::optim::AdamOptions(o.learningRate).weight_decay(o.weightDecay).eps(o.adamEpsilon));

  TrainingCursor cursor;
  if (o.resume && !loadTrainingCheckpoint(o.outDir, *network, optimizer, cursor)) throw std::runtime_error("--resume: no checkpoint in " + o.outDir);
  network->to(device);
  broadcastModuleState(context, *network); // every rank starts from rank 0's weights
  GradientAverager gradients(network->parameters(), context);
  const auto batchNormSync = context.synchronizeBatchNorm();
  const auto batchShare = context.shareGlobalBatch(o.batchSize, shard.begin);

  const int decayEvery = o.decayEveryEpochs > 0 ? o.decayEveryEpochs : std::max(1, o.epochs / 4);
  const std::array<int64_t, 3> patchSize{o.patchSize[0], o.patchSize[1], o.patchSize[2]};
  const VolumeAugmentationOptions augmentation;
  const CaisegClickOptions clicks;
  const FocusGuidedLossOptions lossOptions;
  EpochLoop loop = epochLoopFor(o, static_cast<int64_t>(training.size()));
  TrainingRunRecord record(o.outDir, "val_dice_after_" + std::to_string(o.rounds) + "_rounds", cursor, context, progress, o.epochs,
                           loop.stepsPerEpoch, o.batchSize);
  loop.weightsMetadata = metadata;
  double mu = 0.0; // eq. (11)'s μ of the epoch
  loop.startEpoch = [&](int epoch) {
    static_cast<torch::optim::AdamOptions&>(optimizer.param_groups()[0].options())
        .lr(o.learningRate * std::pow(o.decayFactor, (epoch - 1) / decayEvery)); // step decay
    mu = focusGuidedMu(o.epochs > 1 ? static_cast<double>(epoch - 1) / (o.epochs - 1) : 1.0, lossOptions);
  };
  loop.loss = [&](const TrainingStep& step) {
    const auto batch = makeTrainingBatch(training, step.cases, patchSize, o.lesionPatchProbability, o.augment ? &augmentation : nullptr,
                                         step.random, device, o.anisotropic);
    return caisegIterationLoss(network, batch, o.rounds, mu, clicks, lossOptions, step.random); // mean over this rank's share
  };
  loop.validate = [&] {
    const double diceSum = context.sum(caisegValidationDiceSum(network, myValidation, patchSize, o.rounds, device, o.anisotropic));
    return validation.empty() ? 0.0 : diceSum / static_cast<double>(validation.size());
  };
  return runEpochLoop(loop, {*network, optimizer, gradients, context, shard, device, record}, cursor.epochsDone + 1, cancel);
}

} // namespace medclick
