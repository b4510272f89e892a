#include "kanunet/kanunet_segmenter.h"

#include "engine/automatic_plane_engine.h"
#include "engine/device.h"
#include "kanunet/kanunet_network.h"
#include "kanunet/kanunet_preprocessing.h"
#include "nn/resize.h"
#include "runtime/cpu_tuning.h"
#include "weights/safetensors.h"
#include "weights/weights_metadata.h"

#include <algorithm>
#include <limits>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace medclick {

namespace {

std::vector<double> metadataGamma(const std::map<std::string, std::string>& metadata, int channels, const std::string& path) {
  const auto found = metadata.find("gamma");
  if (found == metadata.end()) return std::vector<double>(static_cast<size_t>(channels), 1.0);
  std::vector<double> gamma;
  std::stringstream in(found->second);
  std::string field;
  while (std::getline(in, field, ',')) {
    try {
      size_t used = 0;
      const double value = std::stod(field, &used);
      if (used == field.size() && value > 0) {
        gamma.push_back(value);
        continue;
      }
    } catch (const std::exception&) {
    }
    throw WeightsError(path, "metadata 'gamma' holds '" + field + "', not a positive number");
  }
  if (static_cast<int>(gamma.size()) != channels)
    throw WeightsError(path, "metadata 'gamma' has " + std::to_string(gamma.size()) + " values for " + std::to_string(channels) +
                                 " input channels");
  return gamma;
}

class KanUnetSegmenter : public AutomaticPlaneEngine {
public:
  KanUnetSegmenter(KanUnetNetwork network, int64_t inputSize, std::vector<double> gamma, torch::Device device)
      : network_(std::move(network)), inputSize_(inputSize), device_(device) {
    network_->to(device_);
    network_->eval();
    gamma_ = torch::tensor(std::vector<float>(gamma.begin(), gamma.end())).to(device_);
  }

  std::string name() const override { return "KANU-Net (" + network_->options().variant + ")"; }
  std::string deviceName() const override { return device_.str(); }

  EngineCapabilities capabilities() const override { return kanunetCapabilities(static_cast<int>(network_->options().inChannels)); }

protected:
  std::vector<float> predict(const float* pixels, int width, int height, int channels) override {
    const int64_t inChannels = network_->options().inChannels;
    if (width <= 0 || height <= 0) throw std::invalid_argument("KANU-Net takes a non-empty 2D image");
    if (channels != inChannels)
      throw std::invalid_argument("these KANU-Net weights take " + std::to_string(inChannels) + " channel(s) (modalities), not " +
                                  std::to_string(channels));
    std::lock_guard<std::mutex> lock(mutex_);
    torch::InferenceMode inference;
    const auto image = torch::from_blob(const_cast<float*>(pixels), {height, width, channels}, torch::kFloat32).permute({2, 0, 1}).to(device_);
    // The paper's 224×224 crop centred on the brain (a wider brain: all of it, resized to the input).
    const CropBox box = brainCentredCrop(image, inputSize_);
    auto crop = cropWithPadding(image, box).unsqueeze(0);
    if (box.side != inputSize_) crop = resizeBilinear(crop, inputSize_, inputSize_, true);
    auto logits = network_->forward(kanunetNetworkInput(crop, gamma_)).narrow(1, 0, 1);
    if (box.side != inputSize_) logits = resizeBilinear(logits, box.side, box.side, false);
    // Back onto the image: the crop's part inside it; outside the crop nothing was seen (probability 0).
    auto full = torch::full({1, 1, height, width}, -std::numeric_limits<float>::infinity(), logits.options());
    const int64_t rowFrom = std::max<int64_t>(0, box.top), rowTo = std::min<int64_t>(height, box.top + box.side);
    const int64_t columnFrom = std::max<int64_t>(0, box.left), columnTo = std::min<int64_t>(width, box.left + box.side);
    full.narrow(2, rowFrom, rowTo - rowFrom).narrow(3, columnFrom, columnTo - columnFrom)
        .copy_(logits.narrow(2, rowFrom - box.top, rowTo - rowFrom).narrow(3, columnFrom - box.left, columnTo - columnFrom));
    const auto probability = torch::sigmoid(full).contiguous().to(torch::kCPU);
    const float* data = probability.data_ptr<float>();
    return std::vector<float>(data, data + probability.numel());
  }

private:
  KanUnetNetwork network_;
  int64_t inputSize_;
  torch::Device device_;
  torch::Tensor gamma_; // [C]
  std::mutex mutex_;
};

} // namespace

EngineCapabilities kanunetCapabilities(int inChannels) { return AutomaticPlaneEngine::capabilitiesFor({inChannels}); }

std::map<std::string, std::string> kanunetWeightsMetadata(const std::string& variant, int inputSize, int inChannels, int classes,
                                                          const std::vector<double>& gamma) {
  std::ostringstream gammaText;
  for (size_t c = 0; c < gamma.size(); ++c) gammaText << (c ? "," : "") << gamma[c];
  return {{"model", "kanunet"},
          {"variant", variant},
          {"input_size", std::to_string(inputSize)},
          {"in_channels", std::to_string(inChannels)},
          {"classes", std::to_string(classes)},
          {"gamma", gammaText.str()},
          {"format", "pt"}};
}

std::unique_ptr<SegmentationEngine> createKanUnetSegmenter(const KanUnetSegmenterOptions& options) {
  if (options.weightsPath.empty()) throw std::invalid_argument("KANU-Net needs a weights file");
  tuneCpuRuntime(options.threads);
  const torch::Device device = chooseDevice(options.device);
  const std::string& path = options.weightsPath;
  const auto content = loadSafetensors(path);
  requireModelName(content.metadata, "kanunet", "KANU-Net", path);
  const std::string variant = requiredMetadataText(content.metadata, "variant", "a KANU-Net variant", path);
  KanUnetOptions networkOptions;
  try {
    networkOptions = KanUnetOptions::named(variant);
  } catch (const std::invalid_argument& e) {
    throw WeightsError(path, e.what());
  }
  const int inputSize = positiveMetadataInt(content.metadata, "input_size", path);
  if (inputSize % 16 != 0) throw WeightsError(path, "input_size " + std::to_string(inputSize) + " is not a multiple of 16");
  networkOptions.inChannels = positiveMetadataInt(content.metadata, "in_channels", path);
  networkOptions.classes = positiveMetadataInt(content.metadata, "classes", path);
  auto gamma = metadataGamma(content.metadata, static_cast<int>(networkOptions.inChannels), path);
  KanUnetNetwork network(networkOptions);
  loadModuleWeights(*network, content, path);
  return std::make_unique<KanUnetSegmenter>(std::move(network), inputSize, std::move(gamma), device);
}

} // namespace medclick
