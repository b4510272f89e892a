#include "session/undo_history.h"

#include <zlib.h>

#include <stdexcept>
#include <type_traits>

namespace medclick {

UndoHistory::UndoHistory(std::size_t byteBudget) : budget_(byteBudget) {}

std::size_t UndoHistory::Packed::bytes() const {
  return values.capacity() + clickTail.capacity() * sizeof(Click) + volumeClickTail.capacity() * sizeof(VolumeClick);
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

std::string UndoHistory::compress(const std::vector<float>& values) {
  const auto sourceBytes = static_cast<uLong>(values.size() * sizeof(float));
  uLongf compressedBytes = compressBound(sourceBytes);
  std::string buffer(compressedBytes, '\0');
  if (compress2(reinterpret_cast<Bytef*>(buffer.data()), &compressedBytes, reinterpret_cast<const Bytef*>(values.data()), sourceBytes,
                Z_BEST_SPEED) != Z_OK)
    throw std::runtime_error("undo history: compression failed");
  // A new string of the compressed length: resizing the buffer would keep its worst-case capacity,
  // and the history would hold the uncompressed size of every step whatever it counted.
  return std::string(buffer.data(), compressedBytes);
}

std::vector<float> UndoHistory::decompress(const std::string& packed, std::size_t count) {
  std::vector<float> values(count);
  uLongf bytes = static_cast<uLongf>(count * sizeof(float));
  if (uncompress(reinterpret_cast<Bytef*>(values.data()), &bytes, reinterpret_cast<const Bytef*>(packed.data()),
                 static_cast<uLong>(packed.size())) != Z_OK ||
      bytes != count * sizeof(float))
    throw std::runtime_error("undo history: corrupt step");
  return values;
}

UndoStep UndoHistory::unpack(const Step& step, const Packed& side) const {
  UndoStep out{step.scope, step.box, decompress(side.values, step.box.voxelCount()), {}, {}};
  out.clicks = {step.keptClicks, side.clickTail};
  out.volumeClicks = {step.keptVolumeClicks, side.volumeClickTail};
  return out;
}

void UndoHistory::record(const SliceRef& scope, const VoxelBox& box, const RegionState& before, const RegionState& after) {
  if (before.values.size() != box.voxelCount() || after.values.size() != box.voxelCount())
    throw std::invalid_argument("undo history: a step's values do not fill its box");
  while (steps_.size() > cursor_) {
    bytes_ -= steps_.back().bytes();
    steps_.pop_back();
  }
  Step step{scope, box, commonPrefix(before.clicks, after.clicks), commonPrefix(before.volumeClicks, after.volumeClicks), {}, {}};
  step.before = {compress(before.values), ClickList(before.clicks.begin() + step.keptClicks, before.clicks.end()),
                 VolumeClickList(before.volumeClicks.begin() + step.keptVolumeClicks, before.volumeClicks.end())};
  step.after = {compress(after.values), ClickList(after.clicks.begin() + step.keptClicks, after.clicks.end()),
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
