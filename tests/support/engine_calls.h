#pragma once
// Short forms of SegmentationEngine calls for tests that look at whole probability maps.

#include "engine/segmentation_engine.h"

namespace medclick::test {

// An automatic engine's map of one 2D image.
inline std::vector<float> predictPlane(SegmentationEngine& engine, const float* pixels, int width, int height, int channels) {
  engine.setImage(planeImage(pixels, static_cast<std::size_t>(width), static_cast<std::size_t>(height), channels));
  return refinedMap(engine, {}, 0, nullptr, static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
}

inline void setPlane(SegmentationEngine& engine, const float* pixels, int width, int height, int channels) {
  engine.setImage(planeImage(pixels, static_cast<std::size_t>(width), static_cast<std::size_t>(height), channels));
}

// A 2D round: the slice's clicks, the previous map (nullptr: zeros), the new map.
inline std::vector<float> refinePlane(SegmentationEngine& engine, const ClickList& clicks, std::size_t firstNew, const float* previous,
                                      std::size_t count) {
  return refinedMap(engine, planeClicks(clicks), firstNew, previous, count);
}

inline void setVolume(SegmentationEngine& engine, const float* voxels, const std::array<std::size_t, 3>& size,
                      const std::array<double, 3>& spacing) {
  engine.setImage(volumeImage(voxels, size, spacing));
}

// A 3D round over the whole volume of `count` voxels.
inline std::vector<float> refineVolume(SegmentationEngine& engine, const VolumeClickList& clicks, const float* previous, std::size_t count) {
  return refinedMap(engine, clicks, clicks.empty() ? 0 : clicks.size() - 1, previous, count);
}

} // namespace medclick::test
