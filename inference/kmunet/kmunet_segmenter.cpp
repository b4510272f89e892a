#include "kmunet/kmunet_segmenter.h"

#include "engine/automatic_plane_engine.h"
#include "engine/device.h"
#include "kmunet/kmunet_network.h"
#include "nn/resize.h"
#include "runtime/cpu_tuning.h"
#include "weights/safetensors.h"
#include "weights/weights_metadata.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace medclick {

namespace {

class KmUnetSegmenter : public AutomaticPlaneEngine {
public:
  KmUnetSegmenter(KmUnetNetwork network, int64_t inputSize, torch::Device device, bool flipAveraging)
      : network_(std::move(network)), inputSize_(inputSize), device_(device), flipAveraging_(flipAveraging) {
    network_->to(device_);
    network_->eval();
  }

  std::string name() const override { return "KM-UNet (" + network_->options().variant + ")"; }
  std::string deviceName() const override { return device_.str(); }

  EngineCapabilities capabilities() const override { return kmunetCapabilities(static_cast<int>(network_->options().inChannels)); }

protected:
  std::vector<float> predict(const float* pixels, int width, int height, int channels) override {
    const int64_t inChannels = network_->options().inChannels;
    if (width <= 0 || height <= 0 || channels <= 0) throw std::invalid_argument("KM-UNet takes a non-empty 2D image");
    if (channels != inChannels && channels != 1)
      throw std::invalid_argument("KM-UNet takes grey images or " + std::to_string(inChannels) + " channels, not " +
                                  std::to_string(channels));
    std::lock_guard<std::mutex> lock(mutex_);
    torch::InferenceMode inference;
    auto image = torch::from_blob(const_cast<float*>(pixels), {height, width, channels}, torch::kFloat32)
                     .permute({2, 0, 1}).unsqueeze(0).to(device_);
    if (channels != inChannels) image = image.expand({1, inChannels, height, width});
    // Per-image z-score, as IKAN's engine: ultrasound scanners share no intensity scale.
    image = (image - image.mean()) / image.std().clamp_min(1e-6);
    const auto input = resizeBilinear(image.contiguous(), inputSize_, inputSize_, true);
    torch::Tensor networkLogits;
    if (flipAveraging_) { // the mirror image as a second sample; its logits mirrored back and averaged
      const auto both = network_->forward(torch::cat({input, input.flip({3})}));
      networkLogits = 0.5 * (both.narrow(0, 0, 1) + both.narrow(0, 1, 1).flip({3}));
    } else {
      networkLogits = network_->forward(input);
    }
    const auto logits = resizeBilinear(networkLogits, height, width, false);
    // One class: sigmoid; several: softmax, foreground = everything but class 0 (background).
    const auto probability =
        (logits.size(1) == 1 ? torch::sigmoid(logits) : 1.0 - torch::softmax(logits, 1).select(1, 0).unsqueeze(1))
            .contiguous().to(torch::kCPU);
    const float* data = probability.data_ptr<float>();
    return std::vector<float>(data, data + probability.numel());
  }

private:
  KmUnetNetwork network_;
  int64_t inputSize_;
  torch::Device device_;
  bool flipAveraging_;
  std::mutex mutex_;
};

} // namespace

// Its trained channel count, or a grey image repeated into it.
EngineCapabilities kmunetCapabilities(int inChannels) {
  return AutomaticPlaneEngine::capabilitiesFor(inChannels == 1 ? std::vector<int>{1} : std::vector<int>{1, inChannels});
}

std::map<std::string, std::string> kmunetWeightsMetadata(const std::string& variant, int inputSize, int inChannels, int classes) {
  return {{"model", "kmunet"},
          {"variant", variant},
          {"input_size", std::to_string(inputSize)},
          {"in_channels", std::to_string(inChannels)},
          {"classes", std::to_string(classes)},
          {"format", "pt"}};
}

std::unique_ptr<SegmentationEngine> createKmUnetSegmenter(const KmUnetSegmenterOptions& options) {
  if (options.weightsPath.empty()) throw std::invalid_argument("KM-UNet needs a weights file");
  tuneCpuRuntime(options.threads);
  const torch::Device device = chooseDevice(options.device);
  const std::string& path = options.weightsPath;
  const auto content = loadSafetensors(path);
  requireModelName(content.metadata, "kmunet", "KM-UNet", path);
  const std::string variant = requiredMetadataText(content.metadata, "variant", "a KM-UNet variant", path);
  KmUnetOptions networkOptions;
  try {
    networkOptions = KmUnetOptions::named(variant);
  } catch (const std::invalid_argument& e) {
    throw WeightsError(path, e.what());
  }
  const int inputSize = positiveMetadataInt(content.metadata, "input_size", path);
  if (inputSize % 32 != 0) throw WeightsError(path, "input_size " + std::to_string(inputSize) + " is not a multiple of 32");
  networkOptions.inChannels = positiveMetadataInt(content.metadata, "in_channels", path);
  networkOptions.classes = positiveMetadataInt(content.metadata, "classes", path);
  KmUnetNetwork network(networkOptions);
  loadModuleWeights(*network, content, path);
  return std::make_unique<KmUnetSegmenter>(std::move(network), inputSize, device, options.flipAveraging);
}

} // namespace medclick
