#include "session/undo_history.h"

#include "session/packed_values.h"

#include <stdexcept>
#include <type_traits>

namespace medclick {

UndoHistory::UndoHistory(std::size_t byteBudget) : budget_(byteBudget) {}

std::size_t UndoHistory::Packed::bytes() const {
  return values.capacity() + labels.capacity() + clickTail.capacity() * sizeof(Click) + volumeClickTail.capacity() * sizeof(VolumeClick);
}

namespace {

template <typename C>
bool sameClick(const C& a, const C& b) {
  if constexpr (std::is_same_v<C, Click>) return a.x == b.x && a.y == b.y && a.positive == b.positive;
  else return a.i == b.i && a.j == b.j && a.k == b.k && a.positive == b.positive;
}

template <typename C>
std::size_t commonPrefix(const std::vector<C>& a, const std::vector<C>& b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && sameClick(a[n], b[n])) ++n;
  return n;
}

} // namespace

UndoStep UndoHistory::unpack(const Step& step, const Packed& side) const {
  UndoStep out{step.scope, step.segment, step.box, unpackValues<float>(side.values, step.box.voxelCount()),
               unpackValues<Label>(side.labels, step.box.voxelCount()), {}, {}};
  out.clicks = {step.keptClicks, side.clickTail};
  out.volumeClicks = {step.keptVolumeClicks, side.volumeClickTail};
  return out;
}

void UndoHistory::record(const SliceRef& scope, Label segment, const VoxelBox& box, const RegionState& before, const RegionState& after) {
  const std::size_t n = box.voxelCount();
  if (before.values.size() != n || after.values.size() != n || before.labels.size() != n || after.labels.size() != n)
    throw std::invalid_argument("undo history: a step's values do not fill its box");
  while (steps_.size() > cursor_) {
    bytes_ -= steps_.back().bytes();
    steps_.pop_back();
  }
  Step step{scope, segment, box, commonPrefix(before.clicks, after.clicks), commonPrefix(before.volumeClicks, after.volumeClicks), {}, {}};
  step.before = {packValues(before.values), packValues(before.labels), ClickList(before.clicks.begin() + step.keptClicks, before.clicks.end()),
                 VolumeClickList(before.volumeClicks.begin() + step.keptVolumeClicks, before.volumeClicks.end())};
  step.after = {packValues(after.values), packValues(after.labels), ClickList(after.clicks.begin() + step.keptClicks, after.clicks.end()),
                VolumeClickList(after.volumeClicks.begin() + step.keptVolumeClicks, after.volumeClicks.end())};
  steps_.push_back(std::move(step));
  bytes_ += steps_.back().bytes();
  ++cursor_;
  while (bytes_ > budget_ && steps_.size() > 1) { // the oldest steps go first; the newest always stays
    bytes_ -= steps_.front().bytes();
    steps_.pop_front();
    --cursor_;
  }
}

UndoStep UndoHistory::undo() {
  if (!canUndo()) throw std::logic_error("nothing to undo");
  const Step& step = steps_[--cursor_];
  return unpack(step, step.before);
}

UndoStep UndoHistory::redo() {
  if (!canRedo()) throw std::logic_error("nothing to redo");
  const Step& step = steps_[cursor_++];
  return unpack(step, step.after);
}

} // namespace medclick
