#pragma once
// The one interface behind which every segmentation backend sits: IKAN (2D, clicks), CAISeg (3D,
// clicks or none), KM-UNet and KANU-Net (2D, no clicks), the classical watersheds (core/classic).
// Shaped like nnInteractive's session: set the image once, then each round hands all clicks so far
// and the previous probability, and gets back the box that changed. What a backend can do
// (dimension, clicks or none, channels) is in capabilities(), read from its weights' metadata by
// the registry (engine_registry.h), so callers never branch on which model it is. RITM's split is
// kept: the clicker (core's click simulators, the user) decides where to click; the engine only
// predicts. Torch-free, so core/ and ui/ include it without torch headers. An engine is used from
// one worker thread at a time.

#include "engine/click.h"
#include "engine/voxel_box.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace medclick {

struct EngineCapabilities {
  int dimension = 2;                  // 2: an image (a volume goes slice by slice); 3: a whole volume
  bool takesClicks = true;            // refines from clicks (interactive)
  bool segmentsWithoutClicks = false; // gives a first mask from no clicks (automatic)
  std::vector<int> channels{1};       // the channel counts setImage accepts

  bool acceptsChannels(int count) const { return std::find(channels.begin(), channels.end(), count) != channels.end(); }
};

// An image as an engine takes it: size[0]*size[1]*size[2] voxels (size[2] = 1 for 2D), `channels`
// interleaved values each (1 grey, 3 RGB, or several modalities), i fastest (ITK's buffer order);
// spacing in mm along i, j, k.
struct EngineImage {
  const float* voxels = nullptr;
  std::array<std::size_t, 3> size{0, 0, 1};
  std::array<double, 3> spacing{1.0, 1.0, 1.0};
  int channels = 1;

  std::size_t voxelCount() const { return size[0] * size[1] * size[2]; }
};

class SegmentationEngine {
public:
  virtual ~SegmentationEngine() = default;

  virtual std::string name() const = 0;       // e.g. "IKAN (small)"
  virtual std::string deviceName() const = 0; // "cpu" or "cuda:0"
  virtual EngineCapabilities capabilities() const = 0;

  // Pre-processing (normalisation, resizing, any cache of features) happens here, once per image.
  // Throws std::invalid_argument for a dimension or channel count the engine does not take.
  virtual void setImage(const EngineImage& image) = 0;

  // One round. clicks: all clicks so far in voxel indices, in order; those from firstNewClick on are
  // this round's; none asks for an automatic mask (engines that cannot make one throw
  // std::logic_error). probability: the caller's buffer of one value per voxel, holding the previous
  // probability in [0, 1] (zeros in round one, or a manual edit) and, on return, the new one.
  // Returns the box the engine wrote; outside it the buffer is untouched.
  virtual VoxelBox refine(const VolumeClickList& clicks, std::size_t firstNewClick, float* probability) = 0;
};

// A 2D image for setImage: width × height pixels, `channels` interleaved values each.
inline EngineImage planeImage(const float* pixels, std::size_t width, std::size_t height, int channels) {
  EngineImage image;
  image.voxels = pixels;
  image.size = {width, height, 1};
  image.channels = channels;
  return image;
}

// A volume for setImage: one grey value per voxel.
inline EngineImage volumeImage(const float* voxels, const std::array<std::size_t, 3>& size, const std::array<double, 3>& spacing) {
  EngineImage image;
  image.voxels = voxels;
  image.size = size;
  image.spacing = spacing;
  return image;
}

// The new probability as a map of its own, for callers that keep whole maps (evaluation, the CLI):
// `previous` (count values, or nullptr for zeros) is copied and refined.
inline std::vector<float> refinedMap(SegmentationEngine& engine, const VolumeClickList& clicks, std::size_t firstNewClick,
                                     const float* previous, std::size_t count) {
  std::vector<float> probability = previous ? std::vector<float>(previous, previous + count) : std::vector<float>(count, 0.0f);
  engine.refine(clicks, firstNewClick, probability.data());
  return probability;
}

} // namespace medclick
