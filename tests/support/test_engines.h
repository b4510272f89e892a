#pragma once
// Bases for the tests' deterministic stand-in engines (disks, balls, squares): a stand-in writes a
// whole map the simple way, and its base puts it behind SegmentationEngine, so the session, the
// evaluation and the GUI are tested on their own bookkeeping. The bases report the whole image as
// the box they wrote; the session must work with that as with a patch.

#include "engine/automatic_plane_engine.h"
#include "engine/segmentation_engine.h"

#include <algorithm>
#include <array>
#include <vector>

namespace medclick::test {

// 2D, clicks (grey or RGB).
class PlaneTestEngine : public SegmentationEngine {
public:
  EngineCapabilities capabilities() const override {
    EngineCapabilities c;
    c.dimension = 2;
    c.channels = {1, 3};
    return c;
  }
  void setImage(const EngineImage& image) final {
    width_ = static_cast<int>(image.size[0]);
    height_ = static_cast<int>(image.size[1]);
    setImage(image.voxels, width_, height_, image.channels);
  }
  VoxelBox refine(const VolumeClickList& clicks, std::size_t firstNewClick, float* probability) final {
    ClickList plane;
    for (const VolumeClick& c : clicks) plane.push_back({c.i, c.j, c.positive});
    const std::vector<float> result = refine(plane, firstNewClick, probability);
    std::copy(result.begin(), result.end(), probability);
    return VoxelBox::whole({static_cast<std::size_t>(width_), static_cast<std::size_t>(height_), 1});
  }
  virtual void setImage(const float* pixels, int width, int height, int channels) = 0;
  virtual std::vector<float> refine(const ClickList& clicks, std::size_t firstNewClick, const float* previous) = 0;

private:
  int width_ = 0, height_ = 0;
};

// 3D, clicks or none (one grey channel).
class VolumeTestEngine : public SegmentationEngine {
public:
  EngineCapabilities capabilities() const override {
    EngineCapabilities c;
    c.dimension = 3;
    c.segmentsWithoutClicks = true;
    return c;
  }
  void setImage(const EngineImage& image) final {
    size_ = image.size;
    setVolume(image.voxels, image.size, image.spacing);
  }
  VoxelBox refine(const VolumeClickList& clicks, std::size_t, float* probability) final {
    const std::vector<float> result = refine(clicks, probability);
    std::copy(result.begin(), result.end(), probability);
    return VoxelBox::whole(size_);
  }
  virtual void setVolume(const float* voxels, const std::array<std::size_t, 3>& size, const std::array<double, 3>& spacing) = 0;
  virtual std::vector<float> refine(const VolumeClickList& clicks, const float* previous) = 0;

private:
  std::array<std::size_t, 3> size_{};
};

// 2D, no clicks (any channel count up to 4).
class AutomaticTestEngine : public AutomaticPlaneEngine {
public:
  EngineCapabilities capabilities() const override { return capabilitiesFor({1, 2, 3, 4}); }
};

} // namespace medclick::test
