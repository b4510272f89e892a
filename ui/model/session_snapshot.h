#pragma once
// What the views draw after each session operation: an immutable copy of the mask, the clicks of
// every slice and the undo/redo state. The worker thread makes one after every operation; the GUI
// thread only ever reads snapshots, so it never touches the session the worker is changing.

#include "engine/click.h"
#include "engine/volume_engine.h"
#include "image/label_mask.h"
#include "session/slice_access.h"

#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace medclick::ui {

struct SessionSnapshot {
  LabelMask mask;
  std::vector<std::pair<SliceRef, ClickList>> clicks;
  VolumeClickList volumeClicks; // the 3D engine's clicks, drawn on the views they lie in
  bool canUndo = false;
  bool canRedo = false;

  const ClickList& clicksOf(const SliceRef& slice) const {
    static const ClickList none;
    for (const auto& [s, c] : clicks)
      if (s == slice) return c;
    return none;
  }
};

using SnapshotPtr = std::shared_ptr<const SessionSnapshot>;

} // namespace medclick::ui
