#include "kanunet/kanunet_segmenter.h"

#include "engine/device.h"
#include "kanunet/kanunet_network.h"
#include "nn/resize.h"
#include "runtime/cpu_tuning.h"
#include "weights/safetensors.h"
#include "weights/weights_metadata.h"

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

class KanUnetSegmenter : public AutomaticSegmenter {
public:
  KanUnetSegmenter(KanUnetNetwork network, int64_t inputSize, std::vector<double> gamma, torch::Device device)
      : network_(std::move(network)), inputSize_(inputSize), device_(device) {
    network_->to(device_);
    network_->eval();
    gamma_ = torch::tensor(std::vector<float>(gamma.begin(), gamma.end())).view({1, -1, 1, 1}).to(device_);
  }

  std::string name() const override { return "KANU-Net (" + network_->options().variant + ")"; }
  std::string deviceName() const override { return device_.str(); }

  std::vector<float> predict(const float* pixels, int width, int height, int channels) override {
    const int64_t inChannels = network_->options().inChannels;
    if (width <= 0 || height <= 0) throw std::invalid_argument("KANU-Net takes a non-empty 2D image");
    if (channels != inChannels)
      throw std::invalid_argument("these KANU-Net weights take " + std::to_string(inChannels) + " channel(s) (modalities), not " +
                                  std::to_string(channels));
    std::lock_guard<std::mutex> lock(mutex_);
    torch::InferenceMode inference;
    const auto image = torch::from_blob(const_cast<float*>(pixels), {height, width, channels}, torch::kFloat32)
                           .permute({2, 0, 1}).unsqueeze(0).to(device_);
    // The paper's per-modality min–max to [−1, 1] with its gamma (header: on the [0, 1] scale).
    const auto flat = image.flatten(2);
    const auto low = std::get<0>(flat.min(2, true)).unsqueeze(-1);
    const auto high = std::get<0>(flat.max(2, true)).unsqueeze(-1);
    const auto unit = ((image - low) / (high - low).clamp_min(1e-6)).pow(gamma_);
    const auto input = resizeBilinear((2.0 * unit - 1.0).contiguous(), inputSize_, inputSize_, true);
    const auto logits = resizeBilinear(network_->forward(input).narrow(1, 0, 1), height, width, false);
    const auto probability = torch::sigmoid(logits).contiguous().to(torch::kCPU);
    const float* data = probability.data_ptr<float>();
    return std::vector<float>(data, data + probability.numel());
  }

private:
  KanUnetNetwork network_;
  int64_t inputSize_;
  torch::Device device_;
  torch::Tensor gamma_; // [1, C, 1, 1]
  std::mutex mutex_;
};

} // namespace

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

std::unique_ptr<AutomaticSegmenter> createKanUnetSegmenter(const KanUnetSegmenterOptions& options) {
  if (options.weightsPath.empty()) throw std::invalid_argument("KANU-Net needs a weights file");
  tuneCpuRuntime(options.threads);
  const torch::Device device = chooseDevice(options.device);
  const std::string& path = options.weightsPath;
  const auto content = loadSafetensors(path);
  const auto model = content.metadata.find("model");
  if (model == content.metadata.end()) throw WeightsError(path, "names no model in its metadata; KANU-Net weights say model 'kanunet'");
  if (model->second != "kanunet") throw WeightsError(path, "holds weights of model '" + model->second + "', not KANU-Net");
  const auto variant = content.metadata.find("variant");
  if (variant == content.metadata.end()) throw WeightsError(path, "names no KANU-Net variant in its metadata");
  KanUnetOptions networkOptions;
  try {
    networkOptions = KanUnetOptions::named(variant->second);
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
