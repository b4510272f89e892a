#include "session/label_write_rule.h"

#include <stdexcept>

namespace medclick {

namespace {
constexpr float kMaskThreshold = 0.5f;
}

LabelWriteRule::LabelWriteRule(const SegmentList& segments, Label active, OverwriteMode mode)
    : active_(active), mode_(mode), locked_(65536, false) {
  if (segments.get(active).locked) throw std::logic_error("the segment '" + segments.get(active).name + "' is locked: unlock it to edit it");
  for (const Segment& s : segments.all()) locked_[s.label] = s.locked;
}

void LabelWriteRule::apply(std::vector<float>& probability, std::vector<Label>& labels) const {
  if (probability.size() != labels.size()) throw std::invalid_argument("label write rule: probability and labels differ in size");
  for (std::size_t v = 0; v < labels.size(); ++v) {
    if (!mayWrite(labels[v])) {
      probability[v] = 0.0f;
    } else if (probability[v] > kMaskThreshold) {
      labels[v] = active_;
    } else if (labels[v] == active_) {
      labels[v] = 0;
    }
  }
}

void writeSegmentInto(LabelMask& map, const LabelMask& mask, Label label) {
  if (label == 0) throw std::invalid_argument("a segment's label is 1..65535, not the background 0");
  requireSameGrid(map.geometry(), mask.geometry(), "mask");
  std::vector<float> probability(mask.labels().size());
  for (std::size_t v = 0; v < probability.size(); ++v) probability[v] = mask.labels()[v] != 0 ? 1.0f : 0.0f;
  LabelWriteRule(SegmentList({SegmentList::makeDefault(label)}), label, OverwriteMode::Background).apply(probability, map.labels());
}

} // namespace medclick
