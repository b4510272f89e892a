#pragma once
// What every automatic 2D engine (KM-UNet, KANU-Net) shares behind SegmentationEngine: it takes no
// clicks, keeps the image setImage is given, and predicts the whole plane in refine(). A subclass
// only predicts. Torch-free; its capabilities are also what the registry reports for its weights.

#include "engine/segmentation_engine.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace medclick {

class AutomaticPlaneEngine : public SegmentationEngine {
public:
  // 2D, no clicks, these channel counts.
  static EngineCapabilities capabilitiesFor(std::vector<int> channels) {
    EngineCapabilities c;
    c.dimension = 2;
    c.takesClicks = false;
    c.segmentsWithoutClicks = true;
    c.channels = std::move(channels);
    return c;
  }

  void setImage(const EngineImage& image) final {
    if (image.size[0] == 0 || image.size[1] == 0 || image.size[2] != 1 || image.channels <= 0)
      throw std::invalid_argument(name() + " takes a non-empty 2D image");
    const EngineCapabilities c = capabilities();
    if (!c.acceptsChannels(image.channels)) {
      std::string counts;
      for (const int n : c.channels) counts += (counts.empty() ? "" : " or ") + std::to_string(n);
      throw std::invalid_argument("these " + name() + " weights take " + counts + " channel(s) (modalities), not " +
                                  std::to_string(image.channels));
    }
    pixels_.assign(image.voxels, image.voxels + image.voxelCount() * static_cast<std::size_t>(image.channels));
    width_ = static_cast<int>(image.size[0]);
    height_ = static_cast<int>(image.size[1]);
    channels_ = image.channels;
  }

  VoxelBox refine(const VolumeClickList& clicks, std::size_t, float* probability) final {
    if (!clicks.empty()) throw std::logic_error(name() + " segments without clicks; an interactive model refines its mask");
    if (pixels_.empty()) throw std::logic_error(name() + ": refine() before setImage()");
    const std::vector<float> predicted = predict(pixels_.data(), width_, height_, channels_);
    std::copy(predicted.begin(), predicted.end(), probability);
    return VoxelBox::whole({static_cast<std::size_t>(width_), static_cast<std::size_t>(height_), 1});
  }

protected:
  // width × height foreground probabilities of the image, `channels` interleaved values per pixel.
  virtual std::vector<float> predict(const float* pixels, int width, int height, int channels) = 0;

private:
  std::vector<float> pixels_; // the image setImage was given
  int width_ = 0, height_ = 0, channels_ = 0;
};

} // namespace medclick
