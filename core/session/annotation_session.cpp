#include "session/annotation_session.h"

#include "segmentation/largest_component.h"
#include "segmentation/slice_interpolation.h"
#include "session/packed_values.h"
#include "session/region_values.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace medclick {

namespace {
constexpr float kMaskThreshold = 0.5f;
const ClickList kNoClicks;
} // namespace

AnnotationSession::AnnotationSession(Image image, std::size_t historyByteBudget)
    : image_(std::move(image)), labels_(image_.geometry()), probability_(image_.geometry().voxelCount(), 0.0f),
      history_(historyByteBudget) {}

// Segment choices and properties change no voxel: the views redraw, but nothing changed (empty box).
void AnnotationSession::setActiveSegment(Label label) {
  segments_.get(label);
  activate(label);
  lastChange_ = VoxelBox{};
}

Label AnnotationSession::addSegment(Segment segment) {
  lastChange_ = VoxelBox{};
  return segments_.add(std::move(segment));
}

void AnnotationSession::updateSegment(const Segment& segment) {
  segments_.update(segment);
  lastChange_ = VoxelBox{};
}

void AnnotationSession::removeSegment(Label label) {
  segments_.get(label);
  if (segments_.size() == 1) throw std::invalid_argument("a segmentation keeps at least one segment");
  if (label == active_)
    for (const Segment& s : segments_.all())
      if (s.label != label) {
        activate(s.label);
        break;
      }
  segments_.remove(label);
  parked_.erase(label);
  for (Label& v : labels_.labels())
    if (v == label) v = 0;
  lastChange_ = VoxelBox::whole(image_.geometry().size);
  history_ = UndoHistory(history_.budget()); // its steps may name the removed segment
}

void AnnotationSession::activate(Label label) {
  if (label == active_) return;
  parked_[active_] = {std::move(clicks_), std::move(volumeClicks_), packValues(probability_)};
  clicks_.clear();
  volumeClicks_.clear();
  const auto parked = parked_.find(label);
  if (parked != parked_.end() && !parked->second.probability.empty())
    probability_ = unpackValues<float>(parked->second.probability, probability_.size());
  else
    std::fill(probability_.begin(), probability_.end(), 0.0f);
  if (parked != parked_.end()) {
    clicks_ = std::move(parked->second.clicks);
    volumeClicks_ = std::move(parked->second.volumeClicks);
    parked_.erase(parked);
  }
  // The map is the truth: while this segment waited, another may have taken or given back voxels.
  const auto& labels = labels_.labels();
  for (std::size_t v = 0; v < probability_.size(); ++v) {
    const bool mine = labels[v] == label;
    if (mine && !(probability_[v] > kMaskThreshold)) probability_[v] = 1.0f;
    if (!mine && probability_[v] > kMaskThreshold) probability_[v] = 0.0f;
  }
  active_ = label;
  working_.clear(); // the 3D engine's copy is of the other segment: made again at the next 3D round
}

LabelWriteRule AnnotationSession::writeRule() const { return LabelWriteRule(segments_, active_, overwrite_); }

void AnnotationSession::setEngine(std::shared_ptr<SegmentationEngine> engine) {
  if (engine && !engine->capabilities().takesClicks)
    throw std::invalid_argument(engine->name() + " segments without clicks: choose it as the automatic model");
  clickEngine_ = {std::move(engine), std::nullopt};
}

void AnnotationSession::setAutomaticEngine(std::shared_ptr<SegmentationEngine> engine) {
  if (engine && !engine->capabilities().segmentsWithoutClicks)
    throw std::invalid_argument(engine->name() + " makes no mask without clicks");
  automaticEngine_ = {std::move(engine), std::nullopt};
}

bool AnnotationSession::clicksRefineVolume() const {
  return clickEngine_.engine && clickEngine_.engine->capabilities().dimension == 3;
}

void AnnotationSession::prepare(EngineSlot& slot, const SliceRef& scope, bool withModalities) {
  const ImageKey key{scope, withModalities};
  if (slot.image && *slot.image == key) return;
  const ImageGeometry& g = image_.geometry();
  if (scope.isWholeVolume()) {
    if (!g.hasDepth()) throw std::invalid_argument(slot.engine->name() + " segments volumes; this image is 2D");
    const Image intensity = image_.toIntensity(); // once per image: the engine normalises and caches from here
    slot.engine->setImage(volumeImage(intensity.voxels().data(), g.size, g.spacing));
  } else {
    if (slot.engine->capabilities().dimension != 2) throw std::invalid_argument(slot.engine->name() + " segments whole volumes, not slices");
    const SliceShape shape = sliceShape(g, scope.axis);
    std::vector<float> pixels = extractSlice(image_.voxels(), g, scope, image_.components());
    std::size_t channels = image_.components();
    if (withModalities && !extraModalities_.empty()) { // interleaved: a pixel's channels together, the image's own first
      const std::size_t count = shape.width * shape.height, total = channels + extraModalities_.size();
      std::vector<float> interleaved(count * total);
      for (std::size_t i = 0; i < count; ++i)
        for (std::size_t c = 0; c < channels; ++c) interleaved[i * total + c] = pixels[i * channels + c];
      for (std::size_t m = 0; m < extraModalities_.size(); ++m) {
        const auto plane = extractSlice(extraModalities_[m].voxels(), g, scope, 1);
        for (std::size_t i = 0; i < count; ++i) interleaved[i * total + channels + m] = plane[i];
      }
      pixels = std::move(interleaved);
      channels = total;
    }
    slot.engine->setImage(planeImage(pixels.data(), shape.width, shape.height, static_cast<int>(channels)));
  }
  slot.image = key;
  // One engine in both roles (CAISeg clicks and proposes) holds one image: the other slot knows it.
  for (EngineSlot* other : {&clickEngine_, &automaticEngine_})
    if (other != &slot && other->engine == slot.engine) other->image = key;
}

namespace {
// NaN from a broken model is background, never a crash.
void sanitize(float* values, std::size_t count) {
  for (std::size_t n = 0; n < count; ++n)
    if (!(values[n] >= 0.0f && values[n] <= 1.0f)) values[n] = values[n] > 1.0f ? 1.0f : 0.0f;
}

VoxelBox clampedTo(VoxelBox box, const std::array<std::size_t, 3>& size) {
  for (int a = 0; a < 3; ++a) {
    box.end[a] = std::min(box.end[a], size[a]);
    box.begin[a] = std::min(box.begin[a], box.end[a]);
  }
  return box;
}
} // namespace

void AnnotationSession::addVolumeClick(const VolumeClick& click) {
  if (!clicksRefineVolume()) throw std::logic_error("no 3D segmentation engine chosen");
  const auto& size = image_.geometry().size;
  if (!(click.i >= 0 && click.j >= 0 && click.k >= 0 && click.i <= size[0] - 1.0 && click.j <= size[1] - 1.0 && click.k <= size[2] - 1.0))
    throw std::out_of_range("click outside the volume");
  VolumeClickList clicks = volumeClicks_;
  clicks.push_back(click);
  refineVolume(clickEngine_, clicks);
}

void AnnotationSession::autoSegmentVolume() {
  if (!automaticEngine_.engine || automaticEngine_.engine->capabilities().dimension != 3)
    throw std::logic_error("no automatic 3D segmentation model chosen");
  refineVolume(automaticEngine_, {});
}

void AnnotationSession::autoSegment(const SliceRef& slice) {
  if (automaticEngine_.engine && automaticEngine_.engine->capabilities().dimension == 3)
    autoSegmentVolume();
  else
    autoSegmentSlice(slice);
}

void AnnotationSession::refineVolume(EngineSlot& slot, const VolumeClickList& clicks) {
  writeRule(); // a locked segment is refused before the engine runs
  prepare(slot, SliceRef::wholeVolume(), false);
  const auto& size = image_.geometry().size;
  // The engine refines a working copy in place and says where it wrote; only that box is compared,
  // kept for undo and copied back, so a click costs its patch, not the volume.
  if (working_.size() != probability_.size()) working_ = probability_;
  const VoxelBox box = clampedTo(slot.engine->refine(clicks, clicks.empty() ? 0 : clicks.size() - 1, working_.data()), size);
  RegionState after{copyRegion(working_, size, box), {}, {}, clicks};
  sanitize(after.values.data(), after.values.size());
  const RegionState before{copyRegion(probability_, size, box), copyRegion(labels_.labels(), size, box), {}, volumeClicks_};
  commitRegion(SliceRef::wholeVolume(), box, before, after);
  volumeClicks_ = clicks;
}

void AnnotationSession::commitRegion(const SliceRef& scope, const VoxelBox& box, const RegionState& before, RegionState& after) {
  after.labels = before.labels;
  writeRule().apply(after.values, after.labels);
  writeRegion(box, after.values, after.labels);
  lastChange_ = box;
  history_.record(scope, active_, box, before, after);
}

void AnnotationSession::writeRegion(const VoxelBox& box, const std::vector<float>& values, const std::vector<Label>& labels) {
  const auto& size = image_.geometry().size;
  pasteRegion(probability_, size, box, values);
  if (!working_.empty()) pasteRegion(working_, size, box, values);
  pasteRegion(labels_.labels(), size, box, labels);
}

void AnnotationSession::autoSegmentSlice(const SliceRef& slice) {
  if (!automaticEngine_.engine) throw std::logic_error("no automatic segmentation model chosen");
  if (!sliceExists(image_.geometry(), slice)) throw std::out_of_range("no such slice");
  writeRule();
  prepare(automaticEngine_, slice, true);
  const SliceShape shape = sliceShape(image_.geometry(), slice.axis);
  std::vector<float> result(shape.width * shape.height, 0.0f);
  automaticEngine_.engine->refine({}, 0, result.data());
  sanitize(result.data(), result.size());
  // Only its largest object, as segment and evaluate propose it (segmentation/largest_component.h).
  ImageGeometry plane;
  plane.dimension = 2;
  plane.size = {shape.width, shape.height, 1};
  keepLargestComponent(result, plane, kMaskThreshold);
  const RegionState before = stateOf(slice);
  // No clicks: the next click is round one, with this probability as its previous one.
  commitSlice(slice, before, {std::move(result), {}, {}, {}});
}

void AnnotationSession::setExtraModalities(std::vector<Image> modalities) {
  for (const Image& modality : modalities) {
    requireSameGrid(image_.geometry(), modality.geometry(), "modality");
    if (modality.components() != 1) throw std::invalid_argument("a further modality must be a grey image");
  }
  extraModalities_ = std::move(modalities);
  automaticEngine_.image.reset(); // its slices now have more channels
}


LabelMask AnnotationSession::mask() const { return labels_; }

void AnnotationSession::updateMask(LabelMask& mask, const VoxelBox& box) const {
  requireSameGrid(image_.geometry(), mask.geometry(), "mask");
  if (box.empty()) return;
  const auto& size = image_.geometry().size;
  pasteRegion(mask.labels(), size, box, copyRegion(labels_.labels(), size, box));
}

void AnnotationSession::loadMask(const LabelMask& mask) {
  requireSameGrid(image_.geometry(), mask.geometry(), "mask");
  std::vector<bool> present(65536, false);
  for (const Label v : mask.labels()) present[v] = true;
  for (std::size_t label = 1; label < present.size(); ++label)
    if (present[label] && !segments_.contains(static_cast<Label>(label))) segments_.add(SegmentList::makeDefault(static_cast<Label>(label)));
  labels_ = mask;
  parked_.clear(); // every segment's probability comes from the map now
  if (!segments_.contains(active_)) active_ = segments_.all().front().label;
  for (std::size_t i = 0; i < probability_.size(); ++i) probability_[i] = mask.labels()[i] == active_ ? 1.0f : 0.0f;
  working_.clear();
  lastChange_ = VoxelBox::whole(image_.geometry().size);
  clicks_.clear();
  volumeClicks_.clear();
  history_ = UndoHistory(history_.budget());
}

const ClickList& AnnotationSession::clicks(const SliceRef& slice) const {
  const auto it = clicks_.find(keyOf(slice));
  return it == clicks_.end() ? kNoClicks : it->second;
}

std::vector<std::pair<SliceRef, ClickList>> AnnotationSession::allClicks() const {
  std::vector<std::pair<SliceRef, ClickList>> all;
  for (const auto& [key, clicks] : clicks_) {
    const auto axis = static_cast<SliceAxis>(key / (1ll << 40));
    all.push_back({SliceRef{axis, static_cast<std::size_t>(key % (1ll << 40))}, clicks});
  }
  return all;
}

std::vector<SegmentRecord> AnnotationSession::segmentRecords() const {
  std::vector<SegmentRecord> records;
  for (const Segment& segment : segments_.all()) {
    SegmentRecord record{segment, {}, {}};
    const std::map<long long, ClickList>* clicks = &clicks_;
    if (segment.label == active_) {
      record.volumeClicks = volumeClicks_;
    } else if (const auto parked = parked_.find(segment.label); parked != parked_.end()) {
      clicks = &parked->second.clicks;
      record.volumeClicks = parked->second.volumeClicks;
    } else {
      clicks = nullptr;
    }
    if (clicks)
      for (const auto& [key, list] : *clicks)
        record.clicks.push_back({SliceRef{static_cast<SliceAxis>(key / (1ll << 40)), static_cast<std::size_t>(key % (1ll << 40))}, list});
    records.push_back(std::move(record));
  }
  return records;
}

void AnnotationSession::loadSavedState(const LabelMask& mask, const std::vector<SegmentRecord>& segments, Label active) {
  requireSameGrid(image_.geometry(), mask.geometry(), "mask"); // every check before anything changes
  const auto& size = image_.geometry().size;
  for (const SegmentRecord& record : segments) {
    for (const VolumeClick& c : record.volumeClicks)
      if (!(c.i >= 0 && c.j >= 0 && c.k >= 0 && c.i <= size[0] - 1.0 && c.j <= size[1] - 1.0 && c.k <= size[2] - 1.0))
        throw std::out_of_range("a saved 3D click lies outside the volume");
    for (const auto& [slice, sliceClicks] : record.clicks) {
      if (!sliceExists(image_.geometry(), slice)) throw std::out_of_range("saved clicks name a slice the image does not have");
      const SliceShape shape = sliceShape(image_.geometry(), slice.axis);
      for (const Click& c : sliceClicks)
        if (!(c.x >= 0 && c.y >= 0 && c.x <= static_cast<double>(shape.width - 1) && c.y <= static_cast<double>(shape.height - 1)))
          throw std::out_of_range("a saved click lies outside its slice");
    }
  }
  std::vector<Segment> list;
  for (const SegmentRecord& record : segments) list.push_back(record.segment);
  SegmentList restored = list.empty() ? SegmentList() : SegmentList(std::move(list)); // duplicate labels refused here
  if (active != 0) restored.get(active);
  segments_ = std::move(restored);
  active_ = active != 0 ? active : segments_.all().front().label;
  loadMask(mask);
  for (const SegmentRecord& record : segments) {
    std::map<long long, ClickList> clicks;
    for (const auto& [slice, sliceClicks] : record.clicks)
      if (!sliceClicks.empty()) clicks[keyOf(slice)] = sliceClicks;
    if (record.segment.label == active_) {
      clicks_ = std::move(clicks);
      volumeClicks_ = record.volumeClicks;
    } else {
      parked_[record.segment.label] = {std::move(clicks), record.volumeClicks, {}};
    }
  }
}

RegionState AnnotationSession::stateOf(const SliceRef& slice) const {
  return {extractSlice(probability_, image_.geometry(), slice), extractSlice(labels_.labels(), image_.geometry(), slice), clicks(slice), {}};
}

void AnnotationSession::commitSlice(const SliceRef& slice, const RegionState& before, RegionState after) {
  const VoxelBox box = sliceBox(image_.geometry(), slice); // a slice's pixels are its box's values (region_values.h)
  commitRegion(slice, box, before, after);
  if (after.clicks.empty())
    clicks_.erase(keyOf(slice));
  else
    clicks_[keyOf(slice)] = after.clicks;
}

void AnnotationSession::restore(const UndoStep& step) {
  activate(step.segment);
  writeRegion(step.box, step.values, step.labels);
  lastChange_ = step.box;
  if (step.scope.isWholeVolume()) {
    step.volumeClicks.applyTo(volumeClicks_);
    return;
  }
  ClickList sliceClicks = clicks(step.scope);
  step.clicks.applyTo(sliceClicks);
  if (sliceClicks.empty())
    clicks_.erase(keyOf(step.scope));
  else
    clicks_[keyOf(step.scope)] = std::move(sliceClicks);
}

std::vector<float> AnnotationSession::refineSlice(const SliceRef& slice, const ClickList& clicks, const std::vector<float>& previous) {
  if (!clickEngine_.engine) throw std::logic_error("no segmentation engine chosen");
  if (clicksRefineVolume()) throw std::logic_error(clickEngine_.engine->name() + " refines whole volumes; choose a 2D model for slice work");
  writeRule(); // a locked segment is refused before the engine runs
  prepare(clickEngine_, slice, false); // once per slice, not per click
  std::vector<float> result = previous;
  clickEngine_.engine->refine(planeClicks(clicks), clicks.empty() ? 0 : clicks.size() - 1, result.data());
  sanitize(result.data(), result.size());
  return result;
}

void AnnotationSession::addClick(const SliceRef& slice, const Click& click) {
  const SliceShape shape = sliceShape(image_.geometry(), slice.axis);
  if (!sliceExists(image_.geometry(), slice) || click.x < 0 || click.y < 0 || click.x > static_cast<double>(shape.width - 1) ||
      click.y > static_cast<double>(shape.height - 1))
    throw std::out_of_range("click outside the slice");
  if (clicksRefineVolume()) { // a 3D engine sees the click as the voxel under it, and refines the whole lesion
    switch (slice.axis) {
    case SliceAxis::Axial: addVolumeClick({click.x, click.y, static_cast<double>(slice.index), click.positive}); break;
    case SliceAxis::Coronal: addVolumeClick({click.x, static_cast<double>(slice.index), click.y, click.positive}); break;
    case SliceAxis::Sagittal: addVolumeClick({static_cast<double>(slice.index), click.x, click.y, click.positive}); break;
    }
    return;
  }
  const RegionState before = stateOf(slice);
  RegionState after;
  after.clicks = before.clicks;
  after.clicks.push_back(click);
  // The slice's current probability is the previous one: zeros in round one, or a manual edit.
  after.values = refineSlice(slice, after.clicks, before.values);
  commitSlice(slice, before, after);
}

void AnnotationSession::paint(const SliceRef& slice, double x, double y, double radius, bool object) {
  paintStroke(slice, {{x, y}}, radius, object);
}

void AnnotationSession::paintStroke(const SliceRef& slice, const std::vector<std::pair<double, double>>& points, double radius,
                                    bool object) {
  const SliceShape shape = sliceShape(image_.geometry(), slice.axis);
  const RegionState before = stateOf(slice);
  RegionState after = before;
  const double r2 = radius * radius;
  const auto clampIndex = [](double v, std::size_t n) {
    return static_cast<std::size_t>(std::clamp(v, 0.0, static_cast<double>(n) - 1.0));
  };
  for (const auto& [x, y] : points) // every pixel centre within the radius: a round brush at sub-pixel positions
    for (std::size_t v = clampIndex(std::floor(y - radius), shape.height); v <= clampIndex(std::ceil(y + radius), shape.height); ++v)
      for (std::size_t u = clampIndex(std::floor(x - radius), shape.width); u <= clampIndex(std::ceil(x + radius), shape.width); ++u) {
        const double du = static_cast<double>(u) - x, dv = static_cast<double>(v) - y;
        if (du * du + dv * dv <= r2) after.values[v * shape.width + u] = object ? 1.0f : 0.0f;
      }
  commitSlice(slice, before, after);
}

void AnnotationSession::clearSlice(const SliceRef& slice) {
  const RegionState before = stateOf(slice);
  RegionState after{std::vector<float>(before.values.size(), 0.0f), {}, {}, {}};
  commitSlice(slice, before, after);
}

void AnnotationSession::fillHoles(const SliceRef& slice) {
  const SliceShape shape = sliceShape(image_.geometry(), slice.axis);
  const RegionState before = stateOf(slice);
  // Flood the background from a 1-px frame around the slice; what the flood misses is a hole.
  cv::Mat framed = cv::Mat::zeros(static_cast<int>(shape.height) + 2, static_cast<int>(shape.width) + 2, CV_8U);
  for (std::size_t v = 0; v < shape.height; ++v)
    for (std::size_t u = 0; u < shape.width; ++u)
      framed.at<uint8_t>(static_cast<int>(v) + 1, static_cast<int>(u) + 1) = before.values[v * shape.width + u] > kMaskThreshold ? 255 : 0;
  cv::floodFill(framed, cv::Point(0, 0), cv::Scalar(128));
  RegionState after = before;
  for (std::size_t v = 0; v < shape.height; ++v)
    for (std::size_t u = 0; u < shape.width; ++u)
      if (framed.at<uint8_t>(static_cast<int>(v) + 1, static_cast<int>(u) + 1) == 0) after.values[v * shape.width + u] = 1.0f;
  commitSlice(slice, before, after);
}

std::optional<SliceRef> AnnotationSession::propagate(const SliceRef& from, int direction, bool addCentreClick) {
  if (direction != 1 && direction != -1) throw std::invalid_argument("propagate: direction is +1 or -1");
  writeRule(); // a locked segment is refused even where there is nothing to carry
  if (from.index == 0 && direction < 0) return std::nullopt;
  const SliceRef to{from.axis, from.index + static_cast<std::size_t>(static_cast<long long>(direction))};
  if (!sliceExists(image_.geometry(), to)) return std::nullopt;
  const SliceShape shape = sliceShape(image_.geometry(), from.axis);
  std::vector<float> carried = extractSlice(probability_, image_.geometry(), from);
  cv::Mat region(static_cast<int>(shape.height), static_cast<int>(shape.width), CV_8U);
  for (std::size_t i = 0; i < carried.size(); ++i) {
    carried[i] = carried[i] > kMaskThreshold ? 1.0f : 0.0f;
    region.data[i] = carried[i] > 0.0f ? 255 : 0;
  }
  if (cv::countNonZero(region) == 0) return std::nullopt;

  ClickList clicks;
  if (addCentreClick) { // the most interior pixel of the carried mask: inside it even for a crescent
    cv::Mat distance;
    cv::distanceTransform(region, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    cv::Point deepest;
    cv::minMaxLoc(distance, nullptr, nullptr, nullptr, &deepest);
    clicks.push_back({static_cast<double>(deepest.x), static_cast<double>(deepest.y), true});
  }
  const RegionState before = stateOf(to);
  commitSlice(to, before, {refineSlice(to, clicks, carried), {}, clicks, {}});
  return to;
}

VoxelBox AnnotationSession::fillBetweenSlices(const SliceRef& from, const SliceRef& to) { return fillGaps({{from, to}}); }

VoxelBox AnnotationSession::fillBetweenDrawnSlices(SliceAxis axis) {
  writeRule();
  const ImageGeometry& g = image_.geometry();
  if (!g.hasDepth()) throw std::invalid_argument("filling between slices needs a volume");
  const auto a = static_cast<std::size_t>(axis);
  std::vector<bool> drawn(g.size[a], false);
  const auto& labels = labels_.labels();
  for (std::size_t k = 0; k < g.size[2]; ++k)
    for (std::size_t j = 0; j < g.size[1]; ++j)
      for (std::size_t i = 0; i < g.size[0]; ++i)
        if (labels[(k * g.size[1] + j) * g.size[0] + i] == active_) drawn[a == 0 ? i : a == 1 ? j : k] = true;
  std::vector<std::pair<SliceRef, SliceRef>> gaps;
  std::optional<std::size_t> previous;
  for (std::size_t index = 0; index < drawn.size(); ++index) {
    if (!drawn[index]) continue;
    if (previous && index - *previous > 1) gaps.push_back({{axis, *previous}, {axis, index}});
    previous = index;
  }
  if (gaps.empty()) {
    lastChange_ = VoxelBox{};
    return {};
  }
  return fillGaps(gaps);
}

VoxelBox AnnotationSession::fillGaps(const std::vector<std::pair<SliceRef, SliceRef>>& gaps) {
  writeRule();
  LabelMask filled = labels_;
  VoxelBox box;
  for (const auto& [from, to] : gaps) box = box.united(interpolateBetweenSlices(filled, active_, from, to));
  if (box.empty()) return box;
  const auto& size = image_.geometry().size;
  const RegionState before{copyRegion(probability_, size, box), copyRegion(labels_.labels(), size, box), {}, volumeClicks_};
  RegionState after{before.values, {}, {}, volumeClicks_};
  const auto labels = copyRegion(filled.labels(), size, box);
  for (std::size_t v = 0; v < labels.size(); ++v)
    if (labels[v] == active_) after.values[v] = 1.0f;
  commitRegion(SliceRef::wholeVolume(), box, before, after);
  return box;
}

SliceRef AnnotationSession::undo() {
  const UndoStep step = history_.undo();
  restore(step);
  return step.scope;
}

SliceRef AnnotationSession::redo() {
  const UndoStep step = history_.redo();
  restore(step);
  return step.scope;
}

} // namespace medclick
