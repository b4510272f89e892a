#pragma once
// The segments of one segmentation, in the order the segment list shows them (ITK-SNAP's label
// table, Slicer's segment list). Every label appears once; label 0 is the background and never a
// segment. A new list holds one segment, "Segment 1" with label 1: a binary mask's segmentation.

#include "segments/segment.h"

#include <vector>

namespace medclick {

class SegmentList {
public:
  SegmentList();                     // one default segment, label 1
  explicit SegmentList(std::vector<Segment> segments); // throws std::invalid_argument for label 0, duplicates or none

  const std::vector<Segment>& all() const { return segments_; }
  std::size_t size() const { return segments_.size(); }
  bool contains(std::uint16_t label) const { return find(label) != nullptr; }
  const Segment* find(std::uint16_t label) const;
  const Segment& get(std::uint16_t label) const; // throws std::invalid_argument for a label that is not a segment

  // Adds at the end. Label 0 asks for the lowest free label; a taken label is refused. An empty name
  // becomes "Segment N". Returns the segment's label.
  std::uint16_t add(Segment segment);
  void update(const Segment& segment); // name, colour, visibility, lock of the segment with that label
  void remove(std::uint16_t label);    // refuses the last segment: a segmentation keeps one

  // The label's default look: "Segment N" in the N-th colour of a palette of distinct colours.
  static Segment makeDefault(std::uint16_t label);

private:
  std::vector<Segment> segments_;
};

} // namespace medclick
