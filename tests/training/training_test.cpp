// Training: the simulated user's clicks, simulated automatic first masks, augmentation alignment, a tiny real training run that
// lowers the loss and writes loadable weights, and a resume that repeats the uninterrupted run.

#include "support/scratch_folder.h"
#include "support/torch_test.h"
#include "support/training_fixtures.h"

#include "clicks/error_click_sampler.h"
#include "clicks/simulated_automatic_mask.h"
#include "training/data/augmentation.h"
#include "training/data/segmentation_samples.h"
#include "inference/ikan/ikan_engine.h"
#include "jobs/ikan_training_job.h"
#include "support/engine_calls.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

using namespace medclick;
namespace fs = std::filesystem;

namespace {

torch::Tensor square(int64_t size, int64_t top, int64_t left, int64_t side) {
  auto m = torch::zeros({1, 1, size, size});
  m.narrow(2, top, side).narrow(3, left, side).fill_(1.0);
  return m;
}

fs::path scratch(const std::string& name) {
  static const test::ScratchFolder folder("medclick-training");
  return folder / name;
}

std::string writeDiscCache() { return test::writeDiscCache(scratch("discs.safetensors")); }

IkanTrainingOptions tinyTraining(const std::string& cache, const std::string& out) {
  IkanTrainingOptions o;
  o.cachePath = cache;
  o.outDir = out;
  o.variant = "small";
  o.inputSize = 64;
  o.epochs = 2;
  o.stepsPerEpoch = 3;
  o.batchSize = 2;
  o.gradientRounds = 2;
  o.maxNoGradientRounds = 1;
  o.validationFraction = 0.34;
  o.device = "cpu";
  o.seed = 7;
  o.threads = 1; // tiny tensors: two threads only add synchronisation, badly so on shared cores
  return o;
}

std::vector<std::string> lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  return all;
}

} // namespace

MEDCLICK_TEST(first_click_goes_to_the_most_interior_object_pixel) {
  const auto target = square(40, 20, 10, 5); // rows 20..24, columns 10..14
  const auto clicks = nextErrorClicks(torch::zeros({1, 1, 40, 40}, torch::kBool), target, nullptr);
  EXPECT(clicks[0].has_value() && clicks[0]->positive);
  EXPECT_NEAR(clicks[0]->x, 12, 0);
  EXPECT_NEAR(clicks[0]->y, 22, 0);
}

MEDCLICK_TEST(larger_false_positive_region_gets_a_negative_click) {
  const auto target = square(40, 5, 5, 4);
  auto prediction = (square(40, 5, 5, 4) + square(40, 20, 20, 9)).gt(0); // the object, plus a 9×9 false alarm
  prediction.narrow(2, 5, 1).narrow(3, 5, 1).fill_(false);               // and one missed pixel
  const auto clicks = nextErrorClicks(prediction, target, nullptr);
  EXPECT(clicks[0].has_value() && !clicks[0]->positive);
  EXPECT_NEAR(clicks[0]->x, 24, 0);
  EXPECT_NEAR(clicks[0]->y, 24, 0);
}

MEDCLICK_TEST(no_click_when_the_prediction_is_right_and_none_in_ignored_pixels) {
  const auto target = square(20, 2, 2, 5);
  EXPECT(!nextErrorClicks(target.gt(0), target, nullptr)[0].has_value());
  auto ignored = target.clone();
  ignored.narrow(2, 10, 10).fill_(-1.0); // padding: predicted object there is no error
  auto prediction = target.gt(0);
  prediction.narrow(2, 12, 5).fill_(true);
  EXPECT(!nextErrorClicks(prediction, ignored, nullptr)[0].has_value());
}

static double iouAtThreshold(const torch::Tensor& probability, const torch::Tensor& target) {
  const auto predicted = probability.gt(0.49), object = target.eq(1);
  return predicted.logical_and(object).sum().item<double>() / std::max(1.0, predicted.logical_or(object).sum().item<double>());
}

MEDCLICK_TEST(simulated_automatic_mask_without_errors_is_a_soft_copy_of_the_object) {
  SimulatedAutomaticMaskOptions exact;
  exact.maxBoundaryShift = 0;
  exact.maxOffsetFraction = 0.0;
  exact.missedPartProbability = exact.falseAlarmProbability = exact.missedObjectProbability = 0.0;
  exact.maxBlurRadius = 1;
  exact.minConfidence = 1.0;
  const auto target = square(64, 20, 12, 24);
  std::vector<std::mt19937_64> random{std::mt19937_64(1)};
  const auto map = simulatedAutomaticProbability(target, random, exact);
  EXPECT(map.sizes() == target.sizes());
  EXPECT_NEAR(map[0][0][32][24].item<float>(), 1.0, 1e-6); // deep inside: certain
  EXPECT_NEAR(map[0][0][0][0].item<float>(), 0.0, 1e-6);   // far outside: nothing
  EXPECT_NEAR(map[0][0][20][24].item<float>(), 0.5, 0.2);  // on the boundary: soft
  EXPECT(iouAtThreshold(map, target) > 0.9);

  SimulatedAutomaticMaskOptions nothingFound = exact;
  nothingFound.missedObjectProbability = 1.0;
  EXPECT(simulatedAutomaticProbability(target, random, nothingFound).max().item<float>() == 0.0f);
}

MEDCLICK_TEST(simulated_automatic_masks_are_imperfect_in_range_and_reproducible) {
  const auto target = torch::cat({square(96, 30, 20, 40), square(96, 10, 50, 30)}, 0);
  std::vector<std::mt19937_64> a{std::mt19937_64(5), std::mt19937_64(6)}, b = a;
  double iouSum = 0.0;
  int perfect = 0;
  for (int i = 0; i < 40; ++i) {
    const auto map = simulatedAutomaticProbability(target, a);
    EXPECT(torch::equal(map, simulatedAutomaticProbability(target, b))); // one stream per sample: same seeds, same maps
    EXPECT(map.min().item<float>() >= 0.0f && map.max().item<float>() <= 1.0f);
    for (int64_t s = 0; s < 2; ++s) {
      const double iou = iouAtThreshold(map[s], target[s]);
      iouSum += iou;
      perfect += iou > 0.99 ? 1 : 0;
    }
  }
  const double meanIou = iouSum / 80.0;
  EXPECT(meanIou > 0.3 && meanIou < 0.9); // a segmenter's first mask: related to the object, with errors to click on
  EXPECT(perfect < 8);
}

MEDCLICK_TEST(augmentation_moves_image_and_mask_together) {
  std::vector<std::mt19937_64> random{std::mt19937_64(3)};
  const auto mask = square(96, 30, 20, 40).to(torch::kUInt8);
  const auto image = (mask * 255).to(torch::kUInt8);
  AugmentationOptions o{64};
  o.brightness = 0.0;
  o.contrast = 0.0;
  for (int i = 0; i < 10; ++i) {
    const auto batch = augmentBatch(image, mask, o, random);
    EXPECT(batch.images.sizes() == at::IntArrayRef({1, 1, 64, 64}));
    const auto valid = batch.targets.ne(-1);
    const auto agree = (batch.images.gt(0.5) == batch.targets.eq(1)).logical_and(valid).sum().item<float>();
    EXPECT(agree / valid.sum().item<float>() > 0.97f);
  }
}

MEDCLICK_TEST(split_keeps_groups_together_and_is_reproducible) {
  const auto samples = loadSampleCache(writeDiscCache());
  EXPECT(samples.size() == 12);
  const auto a = splitByGroup(samples, 0.34, 5), b = splitByGroup(samples, 0.34, 5);
  EXPECT(a.validation == b.validation);
  EXPECT(a.validation.size() == 4u); // 2 of 6 groups, 2 cases each
  for (const auto v : a.validation)
    for (const auto t : a.training) EXPECT(samples.groups[v] != samples.groups[t]);
}

MEDCLICK_TEST(split_is_stratified_by_dataset_and_a_written_split_reads_back) {
  SegmentationSamples samples;
  for (int i = 0; i < 20; ++i) {
    samples.names.push_back("big/case" + std::to_string(i));
    samples.groups.push_back("big/patient" + std::to_string(i));
  }
  for (int i = 0; i < 6; ++i) {
    samples.names.push_back("small/scan" + std::to_string(i));
    samples.groups.push_back("small/patient" + std::to_string(i / 2)); // 3 patients
  }
  samples.images = torch::zeros({26, 1, 2, 2}, torch::kUInt8);
  samples.masks = samples.images.clone();
  const auto split = splitByGroup(samples, 0.15, 1);
  int smallInValidation = 0, bigInValidation = 0;
  for (const auto v : split.validation) (samples.names[v].rfind("small", 0) == 0 ? smallInValidation : bigInValidation)++;
  EXPECT(bigInValidation == 3);   // round(0.15 · 20)
  EXPECT(smallInValidation == 2); // one whole patient, although 0.15 · 3 rounds to 0
  const auto path = scratch("split.txt");
  writeSplit(path.string(), samples, split);
  const auto read = readSplit(samples, path.string());
  EXPECT(read.validation == split.validation && read.training == split.training);
}

MEDCLICK_TEST(object_crops_follow_their_case_in_a_given_split) {
  SegmentationSamples samples;
  for (const char* name : {"oct/img_1", "oct/img_1#1", "oct/img_1#2", "oct/img_2", "oct/img_2#1", "oct/img_3#1"}) {
    samples.names.push_back(name);
    samples.groups.push_back("oct/patient");
  }
  samples.images = torch::zeros({6, 1, 2, 2}, torch::kUInt8);
  samples.masks = samples.images.clone();
  const auto path = scratch("crops_split.txt").string();
  {
    std::ofstream out(path);
    out << "validation\toct/img_1\ntrain\toct/img_2\n";
  }
  // img_1's crops validate with it (they never train); img_2's train; img_3#1, of no listed case, is new data.
  const auto split = readSplit(samples, path, true);
  EXPECT((split.validation == std::vector<int64_t>{0, 1, 2}));
  EXPECT((split.training == std::vector<int64_t>{3, 4, 5}));
}

MEDCLICK_TEST(a_run_follows_a_given_split_and_a_resumed_run_keeps_its_own) {
  SegmentationSamples samples;
  for (int i = 0; i < 8; ++i) {
    samples.names.push_back("set/case" + std::to_string(i));
    samples.groups.push_back("set/patient" + std::to_string(i));
  }
  samples.images = torch::zeros({8, 1, 2, 2}, torch::kUInt8);
  samples.masks = samples.images.clone();
  // The bundled model's split knows cases 0-3; 2 validates. Cases 4-7 are new data: they train.
  const auto given = scratch("given.txt").string();
  {
    std::ofstream out(given);
    for (int c = 0; c < 4; ++c) out << (c == 2 ? "validation" : "train") << "\tset/case" << c << "\n";
  }
  const auto runSplit = scratch("run-split.txt").string();
  const RunSplit fresh = chooseRunSplit(samples, runSplit, false, given, 0.5, 1);
  EXPECT(!fresh.keptFromRun);
  EXPECT((fresh.split.validation == std::vector<int64_t>{2}) && fresh.split.training.size() == 7u);
  // Without a given split: the seeded split by group, as before.
  EXPECT(chooseRunSplit(samples, runSplit, false, "", 0.5, 1).split.validation == splitByGroup(samples, 0.5, 1).validation);
  // A resumed run reads its own split.txt, whatever is given now; without one it follows the given split.
  EXPECT(chooseRunSplit(samples, runSplit, true, given, 0.5, 1).split.validation == std::vector<int64_t>{2});
  SampleSplit own;
  own.validation = {5, 6};
  own.training = {0, 1, 2, 3, 4, 7};
  writeSplit(runSplit, samples, own);
  const RunSplit resumed = chooseRunSplit(samples, runSplit, true, given, 0.5, 1);
  EXPECT(resumed.keptFromRun && resumed.split.validation == own.validation && resumed.split.training == own.training);
}

MEDCLICK_TEST(tiny_training_lowers_the_loss_and_writes_loadable_weights) {
  const auto cache = writeDiscCache();
  auto options = tinyTraining(cache, scratch("run").string());
  options.epochs = 4;
  std::vector<double> epochLosses;
  std::atomic<bool> cancel{false};
  const auto summary = runIkanTraining(options, [&](const TrainingProgress& p) { if (p.validated) epochLosses.push_back(p.loss); }, cancel);
  EXPECT(summary.epochsRun == 4);
  EXPECT(epochLosses.size() == 4u);
  EXPECT(epochLosses.back() < epochLosses.front());
  EXPECT(fs::exists(summary.bestWeightsPath));
  EXPECT(lines(fs::path(options.outDir) / "metrics.csv").size() == 5u);
  IkanEngineOptions engineOptions;
  engineOptions.weightsPath = summary.bestWeightsPath;
  engineOptions.device = "cpu";
  const auto engine = createIkanEngine(engineOptions); // the engine reads variant and size from the file
  std::vector<float> pixels(50 * 40, 100.0f);
  test::setPlane(*engine, pixels.data(), 50, 40, 1);
  EXPECT(test::refinePlane(*engine, {{25, 20, true}}, 0, nullptr, 2000).size() == 2000u);
}

MEDCLICK_TEST(training_from_simulated_automatic_masks_lowers_the_loss) {
  auto options = tinyTraining(writeDiscCache(), scratch("automatic-start").string());
  options.automaticStartShare = 1.0; // every first click corrects a simulated automatic mask
  options.epochs = 3;
  std::vector<double> epochLosses;
  std::atomic<bool> cancel{false};
  const auto summary = runIkanTraining(options, [&](const TrainingProgress& p) { if (p.validated) epochLosses.push_back(p.loss); }, cancel);
  EXPECT(summary.epochsRun == 3 && epochLosses.size() == 3u);
  EXPECT(std::isfinite(epochLosses.back()) && epochLosses.back() < epochLosses.front());
}

MEDCLICK_TEST(resume_repeats_what_an_uninterrupted_run_does) {
  const auto cache = writeDiscCache();
  std::atomic<bool> cancel{false};
  const auto straight = tinyTraining(cache, scratch("straight").string());
  runIkanTraining(straight, {}, cancel);

  auto interrupted = tinyTraining(cache, scratch("interrupted").string());
  interrupted.epochs = 1;
  runIkanTraining(interrupted, {}, cancel);
  interrupted.epochs = 2;
  interrupted.resume = true;
  runIkanTraining(interrupted, {}, cancel);

  const auto a = lines(fs::path(straight.outDir) / "metrics.csv"), b = lines(fs::path(interrupted.outDir) / "metrics.csv");
  EXPECT(a.size() == 3u && b.size() == 3u);
  const auto lossOf = [](const std::string& line) { return std::stod(line.substr(line.find(',') + 1)); };
  EXPECT_NEAR(lossOf(b[2]), lossOf(a[2]), 1e-5); // epoch 2 after resuming == epoch 2 straight through
}

MEDCLICK_TEST_MAIN()
