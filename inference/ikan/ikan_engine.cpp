#include "ikan/ikan_engine.h"

#include "engine/device.h"
#include "ikan/ikan_network.h"
#include "nn/resize.h"
#include "runtime/cpu_tuning.h"
#include "weights/safetensors.h"

#include <mutex>
#include <stdexcept>

namespace medclick {

namespace {

class IkanEngine : public InteractiveEngine {
public:
  IkanEngine(IkanNetwork network, torch::Device device) : network_(std::move(network)), device_(device) {
    network_->to(device_);
    network_->eval();
  }

  std::string name() const override { return "IKAN (" + network_->options().variant + ")"; }
  std::string deviceName() const override { return device_.str(); }

  void setImage(const float* pixels, int width, int height, int channels) override {
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3))
      throw std::invalid_argument("IKAN takes a 2D grey or RGB image");
    std::lock_guard<std::mutex> lock(mutex_);
    torch::InferenceMode inference;
    auto image = torch::from_blob(const_cast<float*>(pixels), {height, width, channels}, torch::kFloat32)
                     .permute({2, 0, 1}).unsqueeze(0).to(device_);
    if (channels == 1) image = image.expand({1, 3, height, width});
    // Per-image z-score: ultrasound, OCT and MRI intensities have no common scale.
    const auto mean = image.mean();
    const auto std = image.std().clamp_min(1e-6);
    const auto size = network_->options().inputSize;
    image_ = resizeBilinear(((image - mean) / std).contiguous(), size, size, true);
    width_ = width;
    height_ = height;
  }

  std::vector<float> refine(const ClickList& clicks, size_t firstNewClick, const float* previousProbability) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!image_.defined()) throw std::logic_error("IKAN: refine() before setImage()");
    torch::InferenceMode inference;
    const auto size = network_->options().inputSize;
    torch::Tensor previous;
    if (previousProbability) {
      const auto full = torch::from_blob(const_cast<float*>(previousProbability), {1, 1, height_, width_}, torch::kFloat32).to(device_);
      previous = resizeBilinear(full, size, size, true).clamp(0.0, 1.0);
    } else {
      previous = torch::zeros({1, 1, size, size}, image_.options());
    }
    // Pixel centres map to pixel centres: x' + 0.5 = (x + 0.5) · size / width.
    ClickList scaled;
    for (const Click& c : clicks)
      scaled.push_back({(c.x + 0.5) * size / width_ - 0.5, (c.y + 0.5) * size / height_ - 0.5, c.positive});
    const auto input = network_->prepareInput(image_, previous, {scaled}, {std::min(firstNewClick, scaled.size())});
    const auto logits = resizeBilinear(network_->forward(input), height_, width_, false);
    const auto probability = IkanNetworkImpl::foregroundProbability(logits).contiguous().to(torch::kCPU);
    const float* data = probability.data_ptr<float>();
    return std::vector<float>(data, data + probability.numel());
  }

private:
  IkanNetwork network_;
  torch::Device device_;
  std::mutex mutex_;
  torch::Tensor image_; // [1, 3, S, S] on the device
  int64_t width_ = 0, height_ = 0;
};

} // namespace

std::map<std::string, std::string> ikanWeightsMetadata(const std::string& variant, int inputSize) {
  return {{"model", "ikan"}, {"variant", variant}, {"input_size", std::to_string(inputSize)}, {"format", "pt"}};
}

std::unique_ptr<InteractiveEngine> createIkanEngine(const IkanEngineOptions& options) {
  tuneCpuRuntime(options.threads);
  const torch::Device device = chooseDevice(options.device);
  if (options.weightsPath.empty()) {
    if (!options.randomWeightsForTesting) throw std::invalid_argument("IKAN needs a weights file");
    return std::make_unique<IkanEngine>(IkanNetwork(IkanOptions::named(options.variant)), device);
  }
  const auto content = loadSafetensors(options.weightsPath);
  const auto model = content.metadata.find("model");
  if (model != content.metadata.end() && model->second != "ikan")
    throw WeightsError(options.weightsPath, "holds weights of model '" + model->second + "', not IKAN");
  const auto variant = content.metadata.find("variant");
  IkanOptions networkOptions = IkanOptions::named(variant != content.metadata.end() ? variant->second : options.variant);
  if (const auto size = content.metadata.find("input_size"); size != content.metadata.end())
    networkOptions.inputSize = std::stoi(size->second);
  IkanNetwork network(networkOptions);
  loadModuleWeights(*network, content, options.weightsPath);
  return std::make_unique<IkanEngine>(std::move(network), device);
}

} // namespace medclick
