#pragma once
// Bases for the tests' deterministic stand-in engines (disks, balls, squares): a stand-in writes a
// whole map the simple way, and its base puts it behind SegmentationEngine, so the session, the
// evaluation and the GUI are tested on their own bookkeeping. The bases report the whole image as
// the box they wrote; the session must work with that as with a patch.

#include "engine/automatic_plane_engine.h"
#include "engine/segmentation_engine.h"

#include <algorithm>
#include <array>
#include <cmath>
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

// Like a patch-wise 3D network (CAISeg): a ball of `radius` voxels around the newest click set to
// 0.9 (positive) or 0.1 (negative); every other voxel keeps the previous probability.
class PatchEngine : public SegmentationEngine {
public:
  explicit PatchEngine(double radius) : radius_(radius) {}
  std::string name() const override { return "patch"; }
  std::string deviceName() const override { return "cpu"; }
  EngineCapabilities capabilities() const override {
    EngineCapabilities c;
    c.dimension = 3;
    return c;
  }
  void setImage(const EngineImage& image) override { size_ = image.size; }
  // Writes the ball's bounding box only, and says so.
  VoxelBox refine(const VolumeClickList& clicks, std::size_t, float* p) override {
    const VolumeClick& c = clicks.back();
    const double centre[3] = {c.i, c.j, c.k};
    VoxelBox box;
    for (int a = 0; a < 3; ++a) {
      box.begin[a] = static_cast<std::size_t>(std::max(0.0, std::ceil(centre[a] - radius_)));
      box.end[a] = std::min(size_[a], static_cast<std::size_t>(std::floor(centre[a] + radius_)) + 1);
    }
    for (std::size_t k = box.begin[2]; k < box.end[2]; ++k)
      for (std::size_t j = box.begin[1]; j < box.end[1]; ++j)
        for (std::size_t i = box.begin[0]; i < box.end[0]; ++i)
          if ((i - c.i) * (i - c.i) + (j - c.j) * (j - c.j) + (k - c.k) * (k - c.k) <= radius_ * radius_)
            p[(k * size_[1] + j) * size_[0] + i] = c.positive ? 0.9f : 0.1f;
    return box;
  }

private:
  double radius_;
  std::array<std::size_t, 3> size_{};
};

// 2D, no clicks (any channel count up to 4).
class AutomaticTestEngine : public AutomaticPlaneEngine {
public:
  EngineCapabilities capabilities() const override { return capabilitiesFor({1, 2, 3, 4}); }
};

} // namespace medclick::test
