#pragma once
// What the views draw after each session operation: an immutable label map (shared, see sharedMask), the
// segments, the active segment's clicks of every slice and the undo/redo state. The worker thread makes one after every operation; the GUI
// thread only ever reads snapshots, so it never touches the session the worker is changing.

#include "engine/click.h"
#include "engine/voxel_box.h"
#include "image/label_mask.h"
#include "segments/segment_record.h"
#include "session/slice_access.h"

#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace medclick::ui {

struct SessionSnapshot {
  // The mask, shared with the snapshots before it while it did not change there: an operation copies
  // it once, when a snapshot still holds it, and rewrites only the changed box (copy-on-write).
  std::shared_ptr<const LabelMask> sharedMask;
  VoxelBox changed; // where this snapshot's mask differs from the previous one's (the views redraw it)
  std::vector<std::pair<SliceRef, ClickList>> clicks; // the active segment's
  VolumeClickList volumeClicks; // the active segment's 3D engine clicks, drawn on the views they lie in
  std::vector<SegmentRecord> segments; // every segment with its clicks, in list order (what a save keeps)
  Label activeSegment = 1;
  bool canUndo = false;
  bool canRedo = false;

  const LabelMask& mask() const { return *sharedMask; }

  // The segments alone (names, colours, locks), in list order: what the views and exports need.
  std::vector<Segment> segmentList() const {
    std::vector<Segment> list;
    for (const SegmentRecord& record : segments) list.push_back(record.segment);
    return list;
  }

  const ClickList& clicksOf(const SliceRef& slice) const {
    static const ClickList none;
    for (const auto& [s, c] : clicks)
      if (s == slice) return c;
    return none;
  }
};

using SnapshotPtr = std::shared_ptr<const SessionSnapshot>;

} // namespace medclick::ui
