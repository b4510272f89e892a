// The automatic segmenters' training job on small synthetic data: KM-UNet on discs, KANU-Net on
// two-modality slices with two nested classes. The loss falls, the best weights carry the metadata
// the segmenter needs and load into it, bad options are refused; KANU-Net's slice cache crops as the
// segmenter does, its augmentation keeps image and masks aligned, and its warm restarts follow SGDR.

#include "support/scratch_folder.h"
#include "support/torch_test.h"
#include "support/training_fixtures.h"

#include "jobs/segmenter_training_job.h"
#include "training/data/kanunet_augmentation.h"
#include "training/data/segmentation_samples.h"
#include "kanunet/kanunet_segmenter.h"
#include "kmunet/kmunet_segmenter.h"
#include "weights/safetensors.h"
#include "support/engine_calls.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace medclick;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  static const test::ScratchFolder folder("medclick-segmenter-training");
  return folder / name;
}

SegmenterTrainingOptions tinyJob(const std::string& out) {
  SegmenterTrainingOptions o;
  o.cachePath = test::writeDiscCache(scratch("discs.safetensors"));
  o.outDir = out;
  o.inputSize = 64;
  o.epochs = 4;
  o.stepsPerEpoch = 4;
  o.batchSize = 2;
  o.learningRate = 1e-3; // a few steps must show learning
  o.validationFraction = 0.34;
  o.device = "cpu";
  o.threads = 1;
  o.seed = 3;
  return o;
}

// 10 slices of 2 modalities, 80×80: a "brain" (both modalities above their background) holding a
// bright lesion (class 0) whose centre is brighter still in modality 1 (class 1 inside class 0).
std::string writeTwoModalitySliceCache(const fs::path& path) {
  SliceCacheWriter writer(64);
  std::mt19937 random(5);
  std::normal_distribution<float> noise(0.0f, 0.1f);
  const int w = 80, h = 80;
  for (int c = 0; c < 10; ++c) {
    const double cx = 30 + 2 * c, cy = 35 + c % 3, r = 8 + c % 4;
    std::vector<float> planes(2 * w * h);
    std::vector<uint8_t> masks(2 * w * h);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const int i = y * w + x;
        const double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
        const bool brain = x >= 8 && x < 72 && y >= 8 && y < 72, lesion = d2 <= r * r, core = d2 <= (r / 2) * (r / 2);
        masks[i] = lesion;
        masks[w * h + i] = core;
        planes[i] = brain ? (lesion ? 2.0f : 0.5f) + noise(random) : -1.0f;
        planes[w * h + i] = brain ? (core ? 3.0f : 0.2f) + noise(random) : -2.0f;
      }
    writer.add("slices/case" + std::to_string(c), "slices/patient" + std::to_string(c / 2), w, h, 2, planes.data(), 2, masks.data());
  }
  writer.write(path.string());
  return path.string();
}

SegmenterTrainingOptions tinyKanunetJob(const std::string& out) {
  SegmenterTrainingOptions o = SegmenterTrainingOptions::kanunetRecipe();
  o.cachePath = writeTwoModalitySliceCache(scratch("slices.safetensors"));
  o.outDir = out;
  o.variant = "small";
  o.gamma = {1.2, 1.5};
  o.epochs = 3;
  o.stepsPerEpoch = 4;
  o.learningRate = 3e-3; // a few steps must show learning
  o.validationFraction = 0.2;
  o.device = "cpu";
  o.threads = 1;
  o.seed = 4;
  return o;
}

std::vector<double> csvColumn(const fs::path& path, int column) {
  std::ifstream in(path);
  std::vector<double> values;
  std::string line;
  std::getline(in, line); // header
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string field;
    for (int c = 0; c <= column; ++c) std::getline(fields, field, ',');
    values.push_back(std::stod(field));
  }
  return values;
}

} // namespace

MEDCLICK_TEST(kmunet_training_lowers_the_loss_and_its_best_weights_load_into_the_segmenter) {
  const auto out = scratch("run");
  const std::atomic<bool> cancel{false};
  int validated = 0;
  const auto summary = runSegmenterTraining(tinyJob(out.string()), [&](const TrainingProgress& r) { validated += r.validated; }, cancel);
  EXPECT(summary.epochsRun == 4 && validated == 4 && !summary.cancelled);
  const auto losses = csvColumn(out / "metrics.csv", 1);
  EXPECT(losses.size() == 4 && losses.back() < losses.front());
  const auto ious = csvColumn(out / "metrics.csv", 2);
  for (const double iou : ious) EXPECT(iou >= 0.0 && iou <= 1.0);
  EXPECT_NEAR(summary.bestValidationIoU, *std::max_element(ious.begin(), ious.end()), 1e-6);

  KmUnetSegmenterOptions segmenterOptions;
  segmenterOptions.weightsPath = summary.bestWeightsPath;
  segmenterOptions.device = "cpu";
  const auto segmenter = createKmUnetSegmenter(segmenterOptions);
  std::vector<float> image(80 * 72, 60.0f);
  const auto probability = test::predictPlane(*segmenter, image.data(), 80, 72, 1);
  EXPECT(probability.size() == 80u * 72u);
  for (const float p : probability) EXPECT(p >= 0.0f && p <= 1.0f);
}

MEDCLICK_TEST(a_given_split_is_followed_and_the_cases_it_does_not_list_train) {
  // Another run's split that knows cases 0–5 only: cases 1 and 4 validate, 6–11 (unlisted) train.
  const auto given = scratch("given-split.txt");
  {
    std::ofstream out(given);
    for (int c = 0; c < 6; ++c) out << (c == 1 || c == 4 ? "validation" : "train") << "\tdiscs/case" << c << "\n";
  }
  auto job = tinyJob(scratch("given-split-run").string());
  job.splitPath = given.string();
  job.epochs = 1;
  job.stepsPerEpoch = 1;
  const std::atomic<bool> cancel{false};
  runSegmenterTraining(job, nullptr, cancel);
  std::ifstream written(scratch("given-split-run") / "split.txt");
  std::vector<std::string> validation;
  int training = 0;
  for (std::string line; std::getline(written, line);) {
    if (line.rfind("validation\t", 0) == 0) validation.push_back(line.substr(11));
    training += line.rfind("train\t", 0) == 0;
  }
  EXPECT((validation == std::vector<std::string>{"discs/case1", "discs/case4"}) && training == 10);
}

MEDCLICK_TEST(a_transfer_is_reported_once_before_the_first_step) {
  const std::atomic<bool> cancel{false};
  auto source = tinyJob(scratch("transfer-source").string());
  source.epochs = 1;
  source.stepsPerEpoch = 1;
  const auto from = runSegmenterTraining(source, nullptr, cancel).bestWeightsPath;
  const size_t tensors = loadSafetensors(from).tensors.size();

  auto job = tinyJob(scratch("transfer-run").string());
  job.epochs = 1;
  job.stepsPerEpoch = 1;
  job.transferWeights = from;
  std::vector<std::string> notes;
  int reportsBeforeNote = 0;
  runSegmenterTraining(job, [&](const TrainingProgress& r) {
    if (!r.note.empty()) notes.push_back(r.note);
    else if (notes.empty()) ++reportsBeforeNote;
  }, cancel);
  // The same network: every tensor and every value is taken.
  const std::string expected = "transferred " + std::to_string(tensors) + " of " + std::to_string(tensors) + " tensors (100.0 % of the values) from " + from;
  EXPECT(notes.size() == 1 && notes[0] == expected && reportsBeforeNote == 0);
}

MEDCLICK_TEST(an_unknown_model_or_input_size_is_refused) {
  const std::atomic<bool> cancel{false};
  auto wrongModel = tinyJob(scratch("wrong-model").string());
  wrongModel.model = "unet";
  EXPECT_THROWS_WITH(std::invalid_argument, runSegmenterTraining(wrongModel, nullptr, cancel), "supports kmunet and kanunet");
  auto wrongSize = tinyJob(scratch("wrong-size").string());
  wrongSize.inputSize = 100;
  EXPECT_THROWS_WITH(std::invalid_argument, runSegmenterTraining(wrongSize, nullptr, cancel), "multiple of 32");
}

MEDCLICK_TEST(kanunet_training_lowers_the_loss_and_its_best_weights_load_with_classes_and_gamma) {
  const auto out = scratch("kanunet-run");
  const std::atomic<bool> cancel{false};
  const auto summary = runSegmenterTraining(tinyKanunetJob(out.string()), nullptr, cancel);
  EXPECT(summary.epochsRun == 3 && !summary.cancelled);
  const auto losses = csvColumn(out / "metrics.csv", 1);
  EXPECT(losses.size() == 3 && losses.back() < losses.front());
  const auto dice = csvColumn(out / "metrics.csv", 2);
  for (const double d : dice) EXPECT(d >= 0.0 && d <= 1.0);
  const auto content = loadSafetensors(summary.bestWeightsPath);
  EXPECT(content.metadata.at("model") == "kanunet" && content.metadata.at("in_channels") == "2" && content.metadata.at("classes") == "2");
  EXPECT(content.metadata.at("input_size") == "64" && content.metadata.at("gamma") == "1.2,1.5");

  KanUnetSegmenterOptions segmenterOptions;
  segmenterOptions.weightsPath = summary.bestWeightsPath;
  segmenterOptions.device = "cpu";
  const auto segmenter = createKanUnetSegmenter(segmenterOptions);
  std::vector<float> twoModalities(2 * 90 * 70, 1.0f);
  const auto probability = test::predictPlane(*segmenter, twoModalities.data(), 90, 70, 2);
  EXPECT(probability.size() == 90u * 70u);
  for (const float p : probability) EXPECT(p >= 0.0f && p <= 1.0f);
  EXPECT_THROWS_WITH(std::invalid_argument, test::predictPlane(*segmenter, twoModalities.data(), 90, 70, 1), "2 channel(s)");
}

MEDCLICK_TEST(kanunet_refuses_gamma_values_that_do_not_match_the_modalities) {
  auto job = tinyKanunetJob(scratch("kanunet-gamma").string());
  job.gamma = {1.5};
  const std::atomic<bool> cancel{false};
  EXPECT_THROWS_WITH(std::invalid_argument, runSegmenterTraining(job, nullptr, cancel), "1 gamma values for 2 modalities");
}

MEDCLICK_TEST(the_slice_cache_holds_the_brain_centred_crop_of_every_modality_and_class) {
  // One 96×96 slice: brain in rows 10..69, columns 20..79 (centre 40, 50); a 64 crop starts at (8, 18).
  const int w = 96, h = 96;
  std::vector<float> planes(2 * w * h, 0.0f);
  std::vector<uint8_t> masks(3 * w * h, 0);
  for (int y = 10; y < 70; ++y)
    for (int x = 20; x < 80; ++x) {
      planes[y * w + x] = 4.0f;
      planes[w * h + y * w + x] = x == 20 ? 8.0f : 2.0f; // modality 1: its brightest column is the brain's first
    }
  masks[2 * w * h + 30 * w + 40] = 1; // class 2: one pixel at (30, 40)
  SliceCacheWriter writer(64);
  writer.add("one/slice", "one/case", w, h, 2, planes.data(), 3, masks.data());
  std::vector<float> oneModality(w * h, 0.0f);
  std::vector<uint8_t> oneClass(w * h, 0);
  EXPECT_THROWS_WITH(std::invalid_argument, writer.add("one/other", "one/case", w, h, 1, oneModality.data(), 1, oneClass.data()),
                     "unlike the cases before it");
  writer.write(scratch("one-slice.safetensors").string());
  const auto samples = loadSampleCache(scratch("one-slice.safetensors").string());
  EXPECT(samples.images.sizes() == torch::IntArrayRef({1, 2, 64, 64}) && samples.masks.sizes() == torch::IntArrayRef({1, 3, 64, 64}));
  EXPECT(samples.images[0][0][2][2].item<int>() == 255 && samples.images[0][0][1][2].item<int>() == 0); // image (10, 20) and (9, 20)
  EXPECT(samples.images[0][1][2][2].item<int>() == 255 && samples.images[0][1][2][3].item<int>() == 64); // 2 of 0..8 is 64 of 255
  EXPECT(samples.masks[0][2].sum().item<int>() == 1 && samples.masks[0][2][22][22].item<int>() == 1);     // image (30, 40)
  EXPECT(samples.masks[0][0].sum().item<int>() == 0);
}

MEDCLICK_TEST(slice_augmentation_rotates_and_shifts_image_and_masks_alike) {
  // The mask is exactly where modality 0 is 255, and modality 1 is a copy: any misalignment shows.
  auto images = torch::zeros({6, 2, 32, 32}, torch::kUInt8);
  for (int b = 0; b < 6; ++b) images[b][0].narrow(0, 3 + b, 7).narrow(1, 5 + 2 * b, 9).fill_(255);
  images.select(1, 1).copy_(images.select(1, 0));
  const auto masks = images.narrow(1, 0, 1).eq(255).to(torch::kUInt8);
  std::vector<std::mt19937_64> random;
  for (int b = 0; b < 6; ++b) random.emplace_back(100 + b);
  SliceAugmentationOptions always;
  always.rotationProbability = always.shiftProbability = 1.0;
  always.maxShift = 0.2;
  const auto batch = augmentSlices(images, masks, always, random);
  EXPECT(batch.images.sizes() == images.sizes() && batch.masks.sizes() == masks.sizes());
  EXPECT(torch::equal(batch.masks, batch.images.narrow(1, 0, 1).eq(255).to(torch::kUInt8)));
  EXPECT(torch::equal(batch.images.select(1, 0), batch.images.select(1, 1)));
  EXPECT(!torch::equal(batch.images, images)); // something moved
  // A shift by (2, −3) moves pixel (5, 5) to (7, 2) and fills what enters with zeros.
  auto one = torch::zeros({1, 8, 8});
  one[0][5][5] = 1.0f;
  one[0][0][0] = 9.0f;
  const auto shifted = shiftWithZeros(one, 2, -3);
  EXPECT(shifted[0][7][2].item<float>() == 1.0f && shifted.sum().item<float>() == 1.0f);
}

MEDCLICK_TEST(kanunet_learning_rate_restarts_every_cycle_and_kmunet_anneals_once) {
  auto kanunet = SegmenterTrainingOptions::kanunetRecipe();
  kanunet.restartEveryEpochs = 4;
  EXPECT_NEAR(segmenterLearningRate(kanunet, 1), 1e-4, 1e-12);                              // T_cur 0
  EXPECT_NEAR(segmenterLearningRate(kanunet, 3), 1e-6 + 0.5 * (1e-4 - 1e-6), 1e-12);       // T_cur 2 of 4: cos(π/2) = 0
  EXPECT_NEAR(segmenterLearningRate(kanunet, 5), 1e-4, 1e-12);                              // restart
  EXPECT(segmenterLearningRate(kanunet, 4) < segmenterLearningRate(kanunet, 3));
  SegmenterTrainingOptions kmunet;
  kmunet.epochs = 11;
  EXPECT_NEAR(segmenterLearningRate(kmunet, 1), 1e-4, 1e-12);
  EXPECT_NEAR(segmenterLearningRate(kmunet, 6), 1e-5 + 0.5 * (1e-4 - 1e-5), 1e-12);
  EXPECT_NEAR(segmenterLearningRate(kmunet, 11), 1e-5, 1e-12);
}

MEDCLICK_TEST_MAIN()
