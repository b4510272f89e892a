#pragma once
// One segment with the clicks that made it: what a saved session keeps of each structure besides the
// label map, and what the session hands out to be saved (its own clicks per slice and, for a 3D
// engine, per volume).

#include "engine/click.h"
#include "segments/segment.h"
#include "session/slice_access.h"

#include <utility>
#include <vector>

namespace medclick {

struct SegmentRecord {
  Segment segment;
  std::vector<std::pair<SliceRef, ClickList>> clicks; // per slice, in slice order
  VolumeClickList volumeClicks;                       // a 3D engine's clicks (voxel indices i, j, k)
};

} // namespace medclick
