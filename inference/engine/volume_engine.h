#pragma once
// The interface of click-driven 3D backends (CAISeg): set the whole volume once, then refine the
// whole lesion from clicks placed in any view. The 3D sibling of InteractiveEngine (2D slices):
// torch-free, so core/ and ui/ drive it without torch headers; used from one worker thread at a time.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace medclick {

// A click in voxel indices of the volume: i = column (x), j = row (y), k = slice (z), as ITK and
// ImageGeometry index them; sub-voxel values allowed.
struct VolumeClick {
  double i = 0.0, j = 0.0, k = 0.0;
  bool positive = true;
};

using VolumeClickList = std::vector<VolumeClick>;

class VolumeInteractiveEngine {
public:
  virtual ~VolumeInteractiveEngine() = default;

  virtual std::string name() const = 0;       // e.g. "CAISeg (slim)"
  virtual std::string deviceName() const = 0; // "cpu" or "cuda:0"

  // voxels: size[0]*size[1]*size[2] intensities, i fastest (ITK's buffer order); spacing in mm along
  // i, j, k. Normalisation and any caching of image features happen here or lazily per patch.
  virtual void setVolume(const float* voxels, const std::array<std::size_t, 3>& size, const std::array<double, 3>& spacing) = 0;

  // One refinement round with all clicks so far (the last ones new) and the previous probability
  // (the whole volume, values in [0, 1], or nullptr in round one). Returns the new probability of
  // the whole volume; voxels outside the region the engine looked at keep the previous value (0 in
  // round one). With no clicks an engine that can segment automatically does so; others throw.
  virtual std::vector<float> refine(const VolumeClickList& clicks, const float* previousProbability) = 0;
};

} // namespace medclick
