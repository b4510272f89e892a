// KM-UNet and KANU-Net behind SegmentationEngine (2D, no clicks): weights files with metadata, probabilities at the
// image's own size, and refusal of files that are not theirs.

#include "support/mirror_symmetry.h"
#include "support/scratch_folder.h"
#include "support/torch_test.h"

#include "inference/ikan/ikan_engine.h"
#include "inference/ikan/ikan_network.h"
#include "kanunet/kanunet_network.h"
#include "kanunet/kanunet_segmenter.h"
#include "kmunet/kmunet_network.h"
#include "kmunet/kmunet_segmenter.h"
#include "weights/safetensors.h"
#include "support/engine_calls.h"

#include <filesystem>

#include <unistd.h>

using namespace medclick;
namespace fs = std::filesystem;

namespace {

std::string scratch(const std::string& name) {
  static const test::ScratchFolder folder("medclick_automatic_segmenter_test");
  return (folder / name).string();
}

std::string kmunetWeights() {
  static const std::string path = [] {
    const auto file = scratch("kmunet.safetensors");
    torch::manual_seed(0);
    KmUnetNetwork network(KmUnetOptions::small());
    saveModuleWeights(*network, file, kmunetWeightsMetadata("small", 64));
    return file;
  }();
  return path;
}

std::string kanunetWeights() {
  static const std::string path = [] {
    const auto file = scratch("kanunet.safetensors");
    torch::manual_seed(0);
    auto options = KanUnetOptions::small();
    options.inChannels = 2;
    options.classes = 3;
    KanUnetNetwork network(options);
    saveModuleWeights(*network, file, kanunetWeightsMetadata("small", 48, 2, 3, {1.2, 1.5}));
    return file;
  }();
  return path;
}

// A non-square image with a bright disc, `channels` interleaved values per pixel.
std::vector<float> discImage(int width, int height, int channels) {
  std::vector<float> pixels(static_cast<size_t>(width * height * channels));
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < channels; ++c) {
        const double dx = x - width / 2.0, dy = y - height / 2.0;
        pixels[static_cast<size_t>((y * width + x) * channels + c)] = (dx * dx + dy * dy < 100.0 ? 200.0f : 40.0f) + static_cast<float>(c);
      }
  return pixels;
}

bool allProbabilities(const std::vector<float>& values) {
  for (float v : values)
    if (!(v >= 0.0f && v <= 1.0f)) return false;
  return true;
}

} // namespace

MEDCLICK_TEST(kmunet_segmenter_returns_a_probability_per_pixel_of_a_non_square_image) {
  KmUnetSegmenterOptions options;
  options.weightsPath = kmunetWeights();
  options.device = "cpu";
  const auto segmenter = createKmUnetSegmenter(options);
  EXPECT(segmenter->name() == "KM-UNet (small)");
  EXPECT(segmenter->deviceName() == "cpu");
  for (int channels : {1, 3}) {
    const auto image = discImage(70, 45, channels);
    const auto probability = test::predictPlane(*segmenter, image.data(), 70, 45, channels);
    EXPECT(probability.size() == 70u * 45u);
    EXPECT(allProbabilities(probability));
  }
}

MEDCLICK_TEST(kmunet_flip_averaging_makes_a_mirror_symmetric_image_symmetric) {
  // An image symmetric about its vertical axis: with the mirror image's logits averaged in, the
  // probability is symmetric too; one pass of random weights is not.
  const int width = 64, height = 48;
  const auto pixels = test::mirrorSymmetricImage(width, height, 5);
  const auto asymmetry = [&](bool flip) {
    KmUnetSegmenterOptions options;
    options.weightsPath = kmunetWeights();
    options.device = "cpu";
    options.flipAveraging = flip;
    return test::largestMirrorAsymmetry(test::predictPlane(*createKmUnetSegmenter(options), pixels.data(), width, height, 1), width, height);
  };
  EXPECT(asymmetry(true) < 1e-5);
  EXPECT(asymmetry(false) > 1e-4);
}

MEDCLICK_TEST(kanunet_segmenter_returns_a_probability_per_pixel_of_a_non_square_image) {
  KanUnetSegmenterOptions options;
  options.weightsPath = kanunetWeights();
  options.device = "cpu";
  const auto segmenter = createKanUnetSegmenter(options);
  EXPECT(segmenter->name() == "KANU-Net (small)");
  const auto image = discImage(37, 61, 2);
  const auto probability = test::predictPlane(*segmenter, image.data(), 37, 61, 2);
  EXPECT(probability.size() == 37u * 61u);
  EXPECT(allProbabilities(probability));
  EXPECT_THROWS_WITH(std::invalid_argument, test::predictPlane(*segmenter, image.data(), 37, 61, 1), "take 2 channel(s)");
}

MEDCLICK_TEST(segmenters_refuse_weights_of_another_model_naming_the_file) {
  const auto ikanFile = scratch("ikan.safetensors");
  IkanNetwork ikan(IkanOptions::small());
  saveModuleWeights(*ikan, ikanFile, ikanWeightsMetadata("small", 256));
  KmUnetSegmenterOptions km;
  km.weightsPath = ikanFile;
  km.device = "cpu";
  EXPECT_THROWS_WITH(WeightsError, createKmUnetSegmenter(km), ikanFile + ": holds weights of model 'ikan', not KM-UNet");
  KanUnetSegmenterOptions kanu;
  kanu.weightsPath = kmunetWeights();
  kanu.device = "cpu";
  EXPECT_THROWS_WITH(WeightsError, createKanUnetSegmenter(kanu), kmunetWeights() + ": holds weights of model 'kmunet', not KANU-Net");
  km.weightsPath = scratch("missing.safetensors");
  EXPECT_THROWS_WITH(WeightsError, createKmUnetSegmenter(km), "missing.safetensors");
  km.weightsPath.clear();
  EXPECT_THROWS_WITH(std::invalid_argument, createKmUnetSegmenter(km), "needs a weights file");
}

MEDCLICK_TEST(segmenters_refuse_metadata_that_does_not_fit_the_network) {
  const auto file = scratch("kmunet_bad_size.safetensors");
  KmUnetNetwork network(KmUnetOptions::small());
  saveModuleWeights(*network, file, kmunetWeightsMetadata("small", 100));
  KmUnetSegmenterOptions options;
  options.weightsPath = file;
  options.device = "cpu";
  EXPECT_THROWS_WITH(WeightsError, createKmUnetSegmenter(options), "not a multiple of 32");
  // Weights of the small network under the paper variant's name: shapes differ.
  saveModuleWeights(*network, file, kmunetWeightsMetadata("paper", 64));
  EXPECT_THROWS_WITH(WeightsError, createKmUnetSegmenter(options), file);
}

MEDCLICK_TEST_MAIN()
