#pragma once
// Bounded undo/redo of session operations. A step keeps only the region the operation changed (a
// voxel box: a slice's plane for a slice edit, the engine's patch for a 3D click) before and after,
// the edited segment's probability and the label map both, zlib-compressed (probability maps are mostly exact 0s and 1s and compress tens of times), with the
// change to the clicks of the step's scope (the common prefix is kept once, so a 1,000-click session
// does not store 1,000 growing copies of its click list). When the stored bytes pass the budget the oldest
// steps go, as ITK-SNAP's UndoDataManager caps its run-length deltas. A 3D click on a 512×512×300
// volume thus costs the history its patch, not two whole volumes.

#include "engine/click.h"
#include "engine/voxel_box.h"
#include "image/label_mask.h"
#include "session/slice_access.h"

#include <cstddef>
#include <algorithm>
#include <deque>
#include <string>
#include <vector>

namespace medclick {

// What an operation changed within its scope: the edited segment's probability and the label map
// inside `box` (copyRegion's order), and the segment's clicks of the scope (a slice's clicks, or the
// 3D engine's for a whole-volume step).
struct RegionState {
  std::vector<float> values;
  std::vector<Label> labels;
  ClickList clicks;
  VolumeClickList volumeClicks;
};

// A click list's change: keep its first `keep` entries, then append `tail`.
template <typename C>
struct ListEdit {
  std::size_t keep = 0;
  std::vector<C> tail;
  void applyTo(std::vector<C>& list) const {
    list.resize(std::min(keep, list.size()));
    list.insert(list.end(), tail.begin(), tail.end());
  }
};

// What undo or redo restores: the segment the step edited, the values inside `box`, and the edits that
// turn the scope's current clicks (the segment's) into the restored ones.
struct UndoStep {
  SliceRef scope;   // a slice, or SliceRef::wholeVolume() for a 3D engine's step
  Label segment = 1; // whose probability and clicks these are
  VoxelBox box;     // where the probability changed (may be empty: only clicks changed)
  std::vector<float> values;
  std::vector<Label> labels;
  ListEdit<Click> clicks;
  ListEdit<VolumeClick> volumeClicks;
};

class UndoHistory {
public:
  explicit UndoHistory(std::size_t byteBudget = 256u << 20);

  // before/after hold box.voxelCount() values and labels each. Clears the redo side.
  void record(const SliceRef& scope, Label segment, const VoxelBox& box, const RegionState& before, const RegionState& after);
  bool canUndo() const { return cursor_ > 0; }
  bool canRedo() const { return cursor_ < steps_.size(); }
  // The step's scope, box and the state to restore there; throws std::logic_error when there is nothing to do.
  UndoStep undo();
  UndoStep redo();
  std::size_t storedBytes() const { return bytes_; } // what the steps hold: compressed values and clicks
  std::size_t budget() const { return budget_; }
  std::size_t size() const { return steps_.size(); }

private:
  struct Packed {
    std::string values; // packValues: exactly as long as the compressed stream
    std::string labels;
    ClickList clickTail;             // the scope's clicks after the common prefix
    VolumeClickList volumeClickTail;
    std::size_t bytes() const;
  };
  struct Step {
    SliceRef scope;
    Label segment;
    VoxelBox box;
    std::size_t keptClicks = 0, keptVolumeClicks = 0; // common prefixes of before and after
    Packed before, after;
    std::size_t bytes() const { return sizeof(Step) + before.bytes() + after.bytes(); }
  };
  UndoStep unpack(const Step& step, const Packed& side) const;

  std::deque<Step> steps_;
  std::size_t cursor_ = 0; // steps_[0..cursor_) are done
  std::size_t bytes_ = 0;
  std::size_t budget_;
};

} // namespace medclick
