#pragma once
// Clicks, torch-free so that core/ and ui/ can use them without compiling torch headers.
// Click: a pixel of a 2D slice (x = column, y = row, 0-based, sub-pixel allowed) and its label, as
// the session keeps a slice's clicks. VolumeClick: a voxel index of the image (i = column, j = row,
// k = slice, as ITK and ImageGeometry index them; sub-voxel allowed): what every engine takes
// (segmentation_engine.h); a 2D image's clicks have k = 0.

#include <vector>

namespace medclick {

struct Click {
  double x = 0.0;
  double y = 0.0;
  bool positive = true;
};

using ClickList = std::vector<Click>;

struct VolumeClick {
  double i = 0.0, j = 0.0, k = 0.0;
  bool positive = true;
};

using VolumeClickList = std::vector<VolumeClick>;

// A slice's clicks as an engine's (k = 0): a 2D engine sees a slice as its whole image.
inline VolumeClickList planeClicks(const ClickList& clicks) {
  VolumeClickList out;
  out.reserve(clicks.size());
  for (const Click& c : clicks) out.push_back({c.x, c.y, 0.0, c.positive});
  return out;
}

} // namespace medclick
