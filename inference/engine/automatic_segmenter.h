#pragma once
// The interface of the automatic segmenters (KM-UNet, KANU-Net): an image in, a foreground
// probability out, no clicks. Its output is what InteractiveEngine::refine takes as the previous
// probability, so an automatic mask can start the click loop. Torch-free, like interactive_engine.h;
// 2D only: a caller runs a volume slice by slice. Used from one worker thread at a time.

#include <string>
#include <vector>

namespace medclick {

class AutomaticSegmenter {
public:
  virtual ~AutomaticSegmenter() = default;

  virtual std::string name() const = 0;       // e.g. "KM-UNet (small)"
  virtual std::string deviceName() const = 0; // "cpu" or "cuda:0"

  // A 2D image, `channels` interleaved values per pixel, row-major, width fastest (as
  // InteractiveEngine::setImage). Returns width*height foreground probabilities in [0, 1] at the
  // image's own size.
  virtual std::vector<float> predict(const float* pixels, int width, int height, int channels) = 0;
};

} // namespace medclick
