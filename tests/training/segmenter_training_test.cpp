// KM-UNet's training job on small synthetic discs: the loss falls, the best weights carry the
// metadata the automatic segmenter needs and load into it, and bad options are refused.

#include "support/torch_test.h"
#include "support/training_fixtures.h"

#include "jobs/segmenter_training_job.h"
#include "kmunet/kmunet_segmenter.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace medclick;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  const auto folder = fs::temp_directory_path() / ("medclick-segmenter-training-" + std::to_string(::getpid()));
  fs::create_directories(folder);
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
  const auto probability = segmenter->predict(image.data(), 80, 72, 1);
  EXPECT(probability.size() == 80u * 72u);
  for (const float p : probability) EXPECT(p >= 0.0f && p <= 1.0f);
}

MEDCLICK_TEST(an_unknown_model_or_input_size_is_refused) {
  const std::atomic<bool> cancel{false};
  auto wrongModel = tinyJob(scratch("wrong-model").string());
  wrongModel.model = "kanunet";
  EXPECT_THROWS_WITH(std::invalid_argument, runSegmenterTraining(wrongModel, nullptr, cancel), "supports kmunet");
  auto wrongSize = tinyJob(scratch("wrong-size").string());
  wrongSize.inputSize = 100;
  EXPECT_THROWS_WITH(std::invalid_argument, runSegmenterTraining(wrongSize, nullptr, cancel), "multiple of 32");
}

MEDCLICK_TEST_MAIN()
