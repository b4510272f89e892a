#include "segments/segment_list.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace medclick {

namespace {
// Distinct colours, starting as ITK-SNAP's default label table does (red, green, blue, yellow, cyan,
// magenta), so the first labels of a map without a description file look alike in both tools.
constexpr std::array<std::array<std::uint8_t, 3>, 12> kPalette{{{255, 0, 0},
                                                                  {0, 255, 0},
                                                                  {0, 0, 255},
                                                                  {255, 255, 0},
                                                                  {0, 255, 255},
                                                                  {255, 0, 255},
                                                                  {255, 239, 213},
                                                                  {0, 0, 205},
                                                                  {205, 133, 63},
                                                                  {210, 180, 140},
                                                                  {102, 205, 170},
                                                                  {0, 0, 128}}};
} // namespace

SegmentList::SegmentList() : segments_{makeDefault(1)} {}

SegmentList::SegmentList(std::vector<Segment> segments) {
  if (segments.empty()) throw std::invalid_argument("a segmentation has at least one segment");
  for (Segment& s : segments) add(std::move(s));
}

Segment SegmentList::makeDefault(std::uint16_t label) {
  Segment s;
  s.label = label;
  s.name = "Segment " + std::to_string(label);
  s.colour = kPalette[(label + kPalette.size() - 1) % kPalette.size()];
  return s;
}

const Segment* SegmentList::find(std::uint16_t label) const {
  const auto it = std::find_if(segments_.begin(), segments_.end(), [label](const Segment& s) { return s.label == label; });
  return it == segments_.end() ? nullptr : &*it;
}

const Segment& SegmentList::get(std::uint16_t label) const {
  if (const Segment* s = find(label)) return *s;
  throw std::invalid_argument("no segment has the label " + std::to_string(label));
}

std::uint16_t SegmentList::add(Segment segment) {
  if (segment.label == 0) {
    std::uint16_t free = 1;
    while (contains(free)) {
      if (free == 65535) throw std::invalid_argument("every label 1..65535 is taken");
      ++free;
    }
    segment.label = free;
  } else if (contains(segment.label)) {
    throw std::invalid_argument("the label " + std::to_string(segment.label) + " is already a segment");
  }
  if (segment.name.empty()) segment.name = makeDefault(segment.label).name;
  segment.opacity = std::clamp(segment.opacity, 0.0, 1.0);
  segments_.push_back(std::move(segment));
  return segments_.back().label;
}

void SegmentList::update(const Segment& segment) {
  auto it = std::find_if(segments_.begin(), segments_.end(), [&](const Segment& s) { return s.label == segment.label; });
  if (it == segments_.end()) throw std::invalid_argument("no segment has the label " + std::to_string(segment.label));
  *it = segment;
  it->opacity = std::clamp(it->opacity, 0.0, 1.0);
  if (it->name.empty()) it->name = makeDefault(it->label).name;
}

void SegmentList::remove(std::uint16_t label) {
  get(label);
  if (segments_.size() == 1) throw std::invalid_argument("a segmentation keeps at least one segment");
  segments_.erase(std::remove_if(segments_.begin(), segments_.end(), [label](const Segment& s) { return s.label == label; }),
                  segments_.end());
}

} // namespace medclick
