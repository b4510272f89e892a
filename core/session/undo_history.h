#pragma once
// Bounded undo/redo of slice edits. Each step keeps the slice's probability before and after, and
// the slice's clicks before and after, zlib-compressed (probability maps are mostly exact 0s and 1s
// and compress tens of times). When the compressed total passes the budget the oldest steps go, as
// ITK-SNAP's UndoDataManager caps its run-length deltas.

#include "engine/click.h"
#include "engine/volume_engine.h"
#include "session/slice_access.h"

#include <cstddef>
#include <deque>
#include <string>
#include <vector>

namespace medclick {

struct SliceState {
  std::vector<float> probability;
  ClickList clicks;
  VolumeClickList volumeClicks; // whole-volume steps only: the 3D engine's clicks
};

class UndoHistory {
public:
  explicit UndoHistory(std::size_t byteBudget = 256u << 20);

  void record(const SliceRef& slice, const SliceState& before, const SliceState& after); // clears the redo side
  bool canUndo() const { return cursor_ > 0; }
  bool canRedo() const { return cursor_ < steps_.size(); }
  // The slice and the state to restore there; throws std::logic_error when there is nothing to do.
  std::pair<SliceRef, SliceState> undo();
  std::pair<SliceRef, SliceState> redo();
  std::size_t storedBytes() const { return bytes_; }
  std::size_t size() const { return steps_.size(); }

private:
  struct Packed {
    std::string probability; // zlib
    std::size_t values = 0;
    ClickList clicks;
    VolumeClickList volumeClicks;
  };
  struct Step {
    SliceRef slice;
    Packed before, after;
    std::size_t bytes() const { return before.probability.size() + after.probability.size(); }
  };
  static Packed pack(const SliceState& state);
  static SliceState unpack(const Packed& packed);

  std::deque<Step> steps_;
  std::size_t cursor_ = 0; // steps_[0..cursor_) are done
  std::size_t bytes_ = 0;
  std::size_t budget_;
};

} // namespace medclick
