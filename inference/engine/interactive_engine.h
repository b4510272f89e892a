#pragma once
// The one interface behind which every click-driven backend sits (IKAN now; CAISeg, the classical
// engine and the KAN auto-segmenters later), shaped like nnInteractive's session: set the image
// once, then refine from clicks and the previous probability. Torch-free, so core/ and ui/ include
// it without torch headers. An engine is used from one worker thread at a time.

#include "engine/click.h"

#include <memory>
#include <string>
#include <vector>

namespace medclick {

class InteractiveEngine {
public:
  virtual ~InteractiveEngine() = default;

  virtual std::string name() const = 0;        // e.g. "IKAN (small)"
  virtual std::string deviceName() const = 0;  // "cpu" or "cuda:0"

  // A 2D image, `channels` interleaved values per pixel (1 grey, 3 RGB), row-major, width fastest.
  // Pre-processing happens here, once, not per click.
  virtual void setImage(const float* pixels, int width, int height, int channels) = 0;

  // One refinement round. clicks: all clicks so far in image pixels, in order; those from
  // firstNewClick on are this round's. previousProbability: width*height values in [0, 1] from the
  // last round (or a manual edit), or nullptr in round one. Returns the new foreground probability,
  // width*height values at the image's own size.
  virtual std::vector<float> refine(const ClickList& clicks, size_t firstNewClick, const float* previousProbability) = 0;
};

} // namespace medclick
