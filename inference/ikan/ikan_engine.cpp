#include "inference/ikan/ikan_engine.h"

#include "engine/device.h"
#include "inference/ikan/ikan_network.h"
#include "nn/resize.h"
#include "runtime/cpu_tuning.h"
#include "weights/safetensors.h"
#include "weights/weights_metadata.h"

#include <mutex>
#include <optional>
#include <stdexcept>

namespace medclick {

namespace {

class IkanEngine : public SegmentationEngine {
public:
  IkanEngine(IkanNetwork network, torch::Device device, ZoomInOptions zoomIn, bool flipAveraging)
      : network_(std::move(network)), device_(device), zoomIn_(zoomIn), flipAveraging_(flipAveraging) {
    network_->to(device_);
    network_->eval();
  }

  std::string name() const override { return "IKAN (" + network_->options().variant + ")"; }
  std::string deviceName() const override { return device_.str(); }

  EngineCapabilities capabilities() const override { return ikanCapabilities(); }

  void setImage(const EngineImage& given) override {
    const auto width = static_cast<int64_t>(given.size[0]), height = static_cast<int64_t>(given.size[1]);
    const int channels = given.channels;
    if (width <= 0 || height <= 0 || given.size[2] != 1 || (channels != 1 && channels != 3))
      throw std::invalid_argument("IKAN takes a 2D grey or RGB image");
    const float* pixels = given.voxels;
    std::lock_guard<std::mutex> lock(mutex_);
    torch::InferenceMode inference;
    auto image = torch::from_blob(const_cast<float*>(pixels), {height, width, channels}, torch::kFloat32)
                     .permute({2, 0, 1}).unsqueeze(0).to(device_);
    if (channels == 1) image = image.expand({1, 3, height, width});
    // Per-image z-score: ultrasound, OCT and MRI intensities have no common scale.
    const auto mean = image.mean();
    const auto std = image.std().clamp_min(1e-6);
    const auto size = network_->options().inputSize;
    normalized_ = ((image - mean) / std).contiguous();
    image_ = resizeBilinear(normalized_, size, size, true);
    width_ = width;
    height_ = height;
    zoomIn_.reset();
    roiImage_ = torch::Tensor();
  }

  VoxelBox refine(const VolumeClickList& voxelClicks, std::size_t firstNewClick, float* probabilityMap) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!image_.defined()) throw std::logic_error("IKAN: refine() before setImage()");
    if (voxelClicks.empty()) throw std::logic_error("IKAN refines from clicks; it makes no mask without one");
    ClickList clicks;
    for (const VolumeClick& c : voxelClicks) clicks.push_back({c.i, c.j, c.positive});
    const float* previousProbability = probabilityMap;
    torch::InferenceMode inference;
    const auto size = network_->options().inputSize;
    // The region the network looks at: the whole image, or the zoom-in crop (resized once per crop).
    const std::optional<PixelBox> roi = zoomIn_.roiFor(clicks, previousProbability, static_cast<int>(width_), static_cast<int>(height_));
    const PixelBox box = roi ? *roi : PixelBox{0, 0, static_cast<int>(width_) - 1, static_cast<int>(height_) - 1};
    const auto crop = [&](const torch::Tensor& full) { return full.slice(2, box.y0, box.y1 + 1).slice(3, box.x0, box.x1 + 1); };
    if (roi && !(roiImage_.defined() && roiBox_ == *roi)) {
      roiImage_ = resizeBilinear(crop(normalized_), size, size, true);
      roiBox_ = *roi;
    }
    const torch::Tensor& image = roi ? roiImage_ : image_;
    torch::Tensor previous;
    if (previousProbability) {
      const auto full = torch::from_blob(const_cast<float*>(previousProbability), {1, 1, height_, width_}, torch::kFloat32).to(device_);
      previous = resizeBilinear(crop(full), size, size, true).clamp(0.0, 1.0);
    } else {
      previous = torch::zeros({1, 1, size, size}, image_.options());
    }
    // Pixel centres map to pixel centres: x' + 0.5 = (x − x0 + 0.5) · size / crop width.
    ClickList scaled;
    for (const Click& c : clicks)
      scaled.push_back({(c.x - box.x0 + 0.5) * size / box.width() - 0.5, (c.y - box.y0 + 0.5) * size / box.height() - 0.5, c.positive});
    const size_t firstNew = std::min(firstNewClick, scaled.size());
    torch::Tensor networkLogits;
    if (flipAveraging_) { // the mirror image as a second sample; its logits mirrored back and averaged
      ClickList mirrored;
      for (const Click& c : scaled) mirrored.push_back({static_cast<double>(size - 1) - c.x, c.y, c.positive});
      const auto input = network_->prepareInput(torch::cat({image, image.flip({3})}), torch::cat({previous, previous.flip({3})}),
                                                {scaled, mirrored}, {firstNew, firstNew});
      const auto both = network_->forward(input);
      networkLogits = 0.5 * (both.narrow(0, 0, 1) + both.narrow(0, 1, 1).flip({3}));
    } else {
      networkLogits = network_->forward(network_->prepareInput(image, previous, {scaled}, {firstNew}));
    }
    const auto logits = resizeBilinear(networkLogits, box.height(), box.width(), false);
    const auto probability = IkanNetworkImpl::foregroundProbability(logits).contiguous().to(torch::kCPU); // [1, h, w]
    auto map = torch::from_blob(probabilityMap, {height_, width_}, torch::kFloat32);
    auto inCrop = map.slice(0, box.y0, box.y1 + 1).slice(1, box.x0, box.x1 + 1);
    // Outside the zoom-in crop nothing is predicted: it is background (RITM's inverse transform).
    // The crop holds the previous mask, so usually only the crop changes; where the previous
    // probability reached outside it, the whole image does.
    const bool outsideHadObject = roi && (map.sum() - inCrop.sum()).item<float>() > 0.0f;
    if (outsideHadObject) map.zero_();
    inCrop.copy_(probability[0]);
    if (outsideHadObject) return VoxelBox::whole({static_cast<std::size_t>(width_), static_cast<std::size_t>(height_), 1});
    return VoxelBox{{static_cast<std::size_t>(box.x0), static_cast<std::size_t>(box.y0), 0},
                    {static_cast<std::size_t>(box.x1) + 1, static_cast<std::size_t>(box.y1) + 1, 1}};
  }

private:
  IkanNetwork network_;
  torch::Device device_;
  std::mutex mutex_;
  ZoomIn zoomIn_;
  bool flipAveraging_;
  torch::Tensor normalized_; // [1, 3, H, W] on the device: what zoom-in crops
  torch::Tensor image_;      // [1, 3, S, S] on the device: the whole image at the network's size
  torch::Tensor roiImage_;   // [1, 3, S, S]: the current zoom-in crop at the network's size
  PixelBox roiBox_;
  int64_t width_ = 0, height_ = 0;
};

} // namespace

std::map<std::string, std::string> ikanWeightsMetadata(const std::string& variant, int inputSize) {
  return {{"model", "ikan"}, {"variant", variant}, {"input_size", std::to_string(inputSize)}, {"format", "pt"}};
}

EngineCapabilities ikanCapabilities() {
  EngineCapabilities c;
  c.dimension = 2;
  c.takesClicks = true;
  c.segmentsWithoutClicks = false;
  c.channels = {1, 3};
  return c;
}

std::unique_ptr<SegmentationEngine> createIkanEngine(const IkanEngineOptions& options) {
  tuneCpuRuntime(options.threads);
  const torch::Device device = chooseDevice(options.device);
  if (options.weightsPath.empty()) {
    if (!options.randomWeightsForTesting) throw std::invalid_argument("IKAN needs a weights file");
    return std::make_unique<IkanEngine>(IkanNetwork(IkanOptions::named(options.variant)), device, options.zoomIn, options.flipAveraging);
  }
  const auto content = loadSafetensors(options.weightsPath);
  requireModelName(content.metadata, "ikan", "IKAN", options.weightsPath, true); // early IKAN files name no model
  const auto variant = content.metadata.find("variant");
  IkanOptions networkOptions;
  try {
    networkOptions = IkanOptions::named(variant != content.metadata.end() ? variant->second : options.variant);
  } catch (const std::invalid_argument& e) {
    throw WeightsError(options.weightsPath, e.what());
  }
  if (content.metadata.count("input_size")) networkOptions.inputSize = positiveMetadataInt(content.metadata, "input_size", options.weightsPath);
  IkanNetwork network(networkOptions);
  loadModuleWeights(*network, content, options.weightsPath);
  return std::make_unique<IkanEngine>(std::move(network), device, options.zoomIn, options.flipAveraging);
}

} // namespace medclick
