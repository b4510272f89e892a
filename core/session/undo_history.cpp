#include "session/undo_history.h"

#include <zlib.h>

#include <stdexcept>

namespace medclick {

UndoHistory::UndoHistory(std::size_t byteBudget) : budget_(byteBudget) {}

UndoHistory::Packed UndoHistory::pack(const SliceState& state) {
  Packed packed;
  packed.values = state.probability.size();
  packed.clicks = state.clicks;
  packed.volumeClicks = state.volumeClicks;
  const auto sourceBytes = static_cast<uLong>(state.probability.size() * sizeof(float));
  uLongf compressedBytes = compressBound(sourceBytes);
  packed.probability.resize(compressedBytes);
  if (compress2(reinterpret_cast<Bytef*>(packed.probability.data()), &compressedBytes,
                reinterpret_cast<const Bytef*>(state.probability.data()), sourceBytes, Z_BEST_SPEED) != Z_OK)
    throw std::runtime_error("undo history: compression failed");
  packed.probability.resize(compressedBytes);
  return packed;
}

SliceState UndoHistory::unpack(const Packed& packed) {
  SliceState state;
  state.clicks = packed.clicks;
  state.volumeClicks = packed.volumeClicks;
  state.probability.resize(packed.values);
  uLongf bytes = static_cast<uLongf>(packed.values * sizeof(float));
  if (uncompress(reinterpret_cast<Bytef*>(state.probability.data()), &bytes, reinterpret_cast<const Bytef*>(packed.probability.data()),
                 static_cast<uLong>(packed.probability.size())) != Z_OK)
    throw std::runtime_error("undo history: corrupt step");
  return state;
}

void UndoHistory::record(const SliceRef& slice, const SliceState& before, const SliceState& after) {
  while (steps_.size() > cursor_) {
    bytes_ -= steps_.back().bytes();
    steps_.pop_back();
  }
  steps_.push_back({slice, pack(before), pack(after)});
  bytes_ += steps_.back().bytes();
  ++cursor_;
  while (bytes_ > budget_ && steps_.size() > 1) { // the oldest steps go first; the newest always stays
    bytes_ -= steps_.front().bytes();
    steps_.pop_front();
    --cursor_;
  }
}

std::pair<SliceRef, SliceState> UndoHistory::undo() {
  if (!canUndo()) throw std::logic_error("nothing to undo");
  const Step& step = steps_[--cursor_];
  return {step.slice, unpack(step.before)};
}

std::pair<SliceRef, SliceState> UndoHistory::redo() {
  if (!canRedo()) throw std::logic_error("nothing to redo");
  const Step& step = steps_[cursor_++];
  return {step.slice, unpack(step.after)};
}

} // namespace medclick
