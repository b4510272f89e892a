// CAISeg training end to end on small synthetic volumes: the 3D cache round trip and resampling,
// lesion-centred patches, a few steps on a fixed batch that lower eq. (12)'s loss, a tiny job that
// writes loadable weights and curves, and a resume that repeats the uninterrupted run.

#include "support/scratch_folder.h"
#include "support/torch_test.h"
#include "support/training_fixtures.h"

#include "training/caiseg/caiseg_trainer.h"
#include "jobs/caiseg_training_job.h"
#include "weights/safetensors.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace medclick;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  static const test::ScratchFolder folder("medclick-caiseg-training");
  return folder / name;
}

std::string writeBallCache(double minimumSpacing = 1.0) {
  return test::writeBallCache(scratch("balls-" + std::to_string(minimumSpacing) + ".safetensors"), minimumSpacing);
}

CaisegOptions tinyNetwork() {
  CaisegOptions o = CaisegOptions::slim();
  o.backbone.baseWidth = 4;
  return o;
}

CaisegTrainingOptions tinyJob(const std::string& cache, const std::string& out) {
  CaisegTrainingOptions o;
  o.cachePath = cache;
  o.outDir = out;
  o.variant = "slim";
  o.baseWidth = 4;
  o.patchSize = {32, 32, 32};
  o.epochs = 2;
  o.stepsPerEpoch = 2;
  o.validationFraction = 0.34;
  o.device = "cpu";
  o.threads = 1;
  o.seed = 9;
  return o;
}

std::vector<std::string> lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  return all;
}

double column(const std::string& line, int index) {
  std::stringstream in(line);
  std::string field;
  for (int i = 0; i <= index; ++i) std::getline(in, field, ',');
  return std::stod(field);
}

} // namespace

MEDCLICK_TEST(volume_cache_round_trips_cases_and_spacing) {
  const auto cases = loadVolumeCache(writeBallCache());
  EXPECT(cases.size() == 6);
  EXPECT(cases[1].image.sizes() == at::IntArrayRef({32, 32, 36})); // D, H, W from x fastest
  EXPECT(cases[5].image.sizes() == at::IntArrayRef({24, 32, 36}));
  EXPECT_NEAR(cases[0].spacing.z, 1.2, 1e-12);
  EXPECT_NEAR(cases[0].spacing.x, 1.0, 1e-12);
  EXPECT(cases[0].image.min().item<float>() >= 0.0f && cases[0].image.max().item<float>() <= 1.0f);
  // Ball of radius 5 at (x 14, y 15, z 16): 515 voxels (the count of the lattice points inside).
  EXPECT(cases[0].mask[16][15][14].item<int>() == 1 && cases[0].mask[16][15][20].item<int>() == 0);
  EXPECT(cases[2].group == "balls/patient1");
}

MEDCLICK_TEST(volume_cache_resamples_to_the_minimum_spacing) {
  const auto cases = loadVolumeCache(writeBallCache(2.0));
  // 32 × 1 mm → 16 × 2 mm; 32 × 1.2 mm = 38.4 mm → 19 voxels of 2.0211 mm (the extent is kept).
  EXPECT(cases[0].image.sizes() == at::IntArrayRef({19, 16, 16}));
  EXPECT_NEAR(cases[0].spacing.x, 2.0, 1e-12);
  EXPECT_NEAR(cases[0].spacing.z, 38.4 / 19.0, 1e-12);
  const double ballMm3 = static_cast<double>(cases[0].mask.sum().item<int64_t>()) * 2.0 * 2.0 * 38.4 / 19.0;
  EXPECT(ballMm3 > 0.6 * 515 * 1.2 && ballMm3 < 1.4 * 515 * 1.2); // about the same physical volume
}

MEDCLICK_TEST(patches_are_centred_on_the_lesion_and_padded) {
  const auto cases = loadVolumeCache(writeBallCache());
  const auto centred = lesionCentredPatch(cases[0], {16, 16, 16});
  EXPECT(centred.image.sizes() == at::IntArrayRef({16, 16, 16}));
  EXPECT(centred.mask.sum().item<int64_t>() == cases[0].mask.sum().item<int64_t>()); // the whole ball fits
  const auto padded = lesionCentredPatch(cases[5], {32, 32, 32}); // 24 slices → 8 padding slices at the end
  EXPECT(padded.image.sizes() == at::IntArrayRef({32, 32, 32}));
  // as the engine pads: the image repeats its last slice, the mask is background there
  EXPECT(padded.image.narrow(0, 23, 1).abs().sum().item<float>() > 0.0f);
  for (int64_t z = 24; z < 32; ++z) EXPECT(torch::equal(padded.image[z], padded.image[23]));
  EXPECT(padded.mask.narrow(0, 24, 8).sum().item<int64_t>() == 0);
  std::mt19937_64 random(1);
  for (int i = 0; i < 5; ++i) EXPECT(samplePatch(cases[0], {16, 16, 16}, 1.0, random).mask.sum().item<int64_t>() > 0);
}

MEDCLICK_TEST(training_patches_are_shaped_as_the_engine_shapes_its_patches) {
  const auto volumeOf = [](int64_t d, int64_t h, int64_t w, double z, double xy) {
    VolumeCase c;
    c.image = torch::zeros({d, h, w});
    c.mask = torch::zeros({d, h, w}, torch::kUInt8);
    c.spacing = {z, xy, xy};
    return c;
  };
  using Size = std::array<int64_t, 3>;
  // BraTS, 1 mm isotropic: 96 mm of depth is more than the requested 64 slices.
  EXPECT((trainingPatchSize(volumeOf(155, 240, 240, 1.0, 1.0), {64, 96, 96}) == Size{64, 96, 96}));
  // Brain MRI with 6.5 mm slices: 96 · 0.78 / 6.5 = 11.5 → 16 slices (the engine: 16), not 64 with 41 of padding.
  EXPECT((trainingPatchSize(volumeOf(23, 256, 256, 6.5, 0.78125), {64, 96, 96}) == Size{16, 96, 96}));
  // the anisotropic network's depth step is 8
  EXPECT((trainingPatchSize(volumeOf(23, 256, 256, 6.5, 0.78125), {64, 96, 96}, true) == Size{16, 96, 96}));
  EXPECT((trainingPatchSize(volumeOf(40, 256, 256, 5.0, 0.5), {64, 96, 96}, true) == Size{16, 96, 96})); // 9.6 → 16 (the minimum)
  // a small breast volume: every axis shrinks to the step above its extent (21 → 32, 45 → 48)
  EXPECT((trainingPatchSize(volumeOf(21, 120, 45, 2.1, 0.664), {64, 96, 96}) == Size{32, 96, 48}));
  // a batch takes the largest of its cases' shapes
  VolumeSamples mixed{volumeOf(155, 240, 240, 1.0, 1.0), volumeOf(23, 256, 256, 6.5, 0.78125)};
  std::vector<std::mt19937_64> one{std::mt19937_64(1)};
  const auto batch = makeTrainingBatch(mixed, {1}, {64, 96, 96}, 0.0, nullptr, one, torch::kCPU);
  EXPECT(batch.images.sizes() == at::IntArrayRef({1, 1, 16, 96, 96}));
  std::vector<std::mt19937_64> two{std::mt19937_64(1), std::mt19937_64(2)};
  EXPECT(makeTrainingBatch(mixed, {0, 1}, {64, 96, 96}, 0.0, nullptr, two, torch::kCPU).images.sizes() == at::IntArrayRef({2, 1, 64, 96, 96}));
}

MEDCLICK_TEST(a_few_steps_on_one_batch_lower_the_output_loss) {
  // The whole eq. (12), ν = 0.5: the deep-supervision term is computed from P̂_cls's logit, so it has
  // a gradient even while a fresh network's softmax is saturated.
  torch::set_num_threads(1);
  torch::manual_seed(0);
  const auto cases = loadVolumeCache(writeBallCache());
  CaisegNetwork network(tinyNetwork());
  network->train();
  torch::optim::Adam optimizer(network->parameters(), torch::optim::AdamOptions(1e-3).weight_decay(1e-4));
  std::vector<std::mt19937_64> batchRandom{std::mt19937_64(2), std::mt19937_64(5)};
  const auto batch = makeTrainingBatch(cases, {0, 1}, {32, 32, 32}, 1.0, nullptr, batchRandom, torch::kCPU);
  const FocusGuidedLossOptions paperLoss; // λ 2, μ, ν 0.5
  std::vector<double> losses;
  for (int step = 0; step < 8; ++step) {
    std::vector<std::mt19937_64> clickRandom{std::mt19937_64(3), std::mt19937_64(6)}; // the same clicks every step: only the weights change
    torch::manual_seed(4);
    const auto loss = caisegIterationLoss(network, batch, 3, 0.3, CaisegClickOptions{}, paperLoss, clickRandom);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    losses.push_back(loss.item<double>());
  }
  const double lastThree = (losses[5] + losses[6] + losses[7]) / 3.0;
  EXPECT(std::isfinite(losses.front()) && lastThree < losses.front());
  std::vector<std::mt19937_64> clickRandom{std::mt19937_64(3), std::mt19937_64(6)};
  EXPECT(std::isfinite(caisegIterationLoss(network, batch, 3, 0.3, CaisegClickOptions{}, FocusGuidedLossOptions{}, clickRandom).item<double>()));
}

MEDCLICK_TEST(a_batch_loss_is_the_mean_of_its_samples_losses) {
  // What data-parallel training relies on: ranks computing shares of a batch, each with its
  // samples' own random streams, add up to the whole batch (eval mode: no batch statistics).
  torch::set_num_threads(1);
  torch::manual_seed(0);
  const auto cases = loadVolumeCache(writeBallCache());
  CaisegNetwork network(tinyNetwork());
  network->eval();
  const auto streams = [] { return std::vector<std::mt19937_64>{std::mt19937_64(2), std::mt19937_64(5)}; };
  auto batchRandom = streams();
  const auto batch = makeTrainingBatch(cases, {0, 3}, {32, 32, 32}, 1.0, nullptr, batchRandom, torch::kCPU);
  auto clickRandom = streams();
  const double whole = caisegIterationLoss(network, batch, 3, 0.3, CaisegClickOptions{}, FocusGuidedLossOptions{}, clickRandom).item<double>();
  double parts = 0.0;
  for (int64_t b = 0; b < 2; ++b) {
    std::vector<std::mt19937_64> patchRandom{streams()[static_cast<size_t>(b)]}, sampleClicks{streams()[static_cast<size_t>(b)]};
    const auto single = makeTrainingBatch(cases, {b == 0 ? 0 : 3}, {32, 32, 32}, 1.0, nullptr, patchRandom, torch::kCPU);
    EXPECT(single.images[0].equal(batch.images[b]));
    parts += caisegIterationLoss(network, single, 3, 0.3, CaisegClickOptions{}, FocusGuidedLossOptions{}, sampleClicks).item<double>() / 2;
  }
  EXPECT_NEAR(parts, whole, 1e-4 * std::abs(whole)); // float32 sums of losses in the thousands (a fresh network)
}

MEDCLICK_TEST(tiny_job_writes_loadable_weights_and_metrics) {
  const auto out = scratch("job");
  int reports = 0, validated = 0;
  const std::atomic<bool> cancel{false};
  const auto summary = runCaisegTraining(tinyJob(writeBallCache(), out.string()),
                                         [&](const TrainingProgress& r) {
                                           ++reports;
                                           validated += r.validated;
                                           EXPECT(std::isfinite(r.loss) && r.loss > 0);
                                         },
                                         cancel);
  EXPECT(summary.epochsRun == 2 && !summary.cancelled && reports == 6 && validated == 2);
  EXPECT(summary.bestValidationIoU >= 0.0 && summary.bestValidationIoU <= 1.0);
  CaisegNetwork loaded(tinyNetwork());
  const auto metadata = loadModuleWeights(*loaded, summary.bestWeightsPath);
  EXPECT(metadata.at("model") == "caiseg" && metadata.at("variant") == "slim" && metadata.at("base_width") == "4");
  const auto csv = lines(out / "metrics.csv");
  EXPECT(csv.size() == 3 && csv[0] == "epoch,train_loss,val_dice_after_3_rounds,seconds");
  EXPECT(fs::exists(out / "last.safetensors") && fs::exists(out / "last_optimizer.pt") && fs::exists(out / "split.txt"));
  size_t validation = 0;
  for (const auto& line : lines(out / "split.txt")) validation += line.rfind("validation\t", 0) == 0;
  EXPECT(validation == 2); // one of the three patients: both of its cases
}

MEDCLICK_TEST(resume_repeats_the_uninterrupted_run) {
  const auto cache = writeBallCache();
  const std::atomic<bool> cancel{false};
  const auto straight = scratch("straight"), resumed = scratch("resumed");
  runCaisegTraining(tinyJob(cache, straight.string()), nullptr, cancel);
  // Stopped during epoch 2 (μ and the decay depend on the total epochs, so the same total is kept):
  // that epoch is not counted, and the resumed job repeats it from epoch 1's checkpoint.
  std::atomic<bool> stop{false};
  const auto stopped = runCaisegTraining(tinyJob(cache, resumed.string()), [&](const TrainingProgress& r) { stop = r.epoch == 2; }, stop);
  EXPECT(stopped.cancelled && stopped.epochsRun == 1);
  auto second = tinyJob(cache, resumed.string());
  second.resume = true;
  runCaisegTraining(second, nullptr, cancel);
  const auto a = lines(straight / "metrics.csv"), b = lines(resumed / "metrics.csv");
  EXPECT(a.size() == 3 && b.size() == 3 && a[1].substr(0, a[1].rfind(",")) == b[1].substr(0, b[1].rfind(",")));
  EXPECT_NEAR(column(b[2], 1), column(a[2], 1), 1e-5); // epoch 2's training loss
  EXPECT_NEAR(column(b[2], 2), column(a[2], 2), 1e-5); // and its validation Dice
}

MEDCLICK_TEST_MAIN()
