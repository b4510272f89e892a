#include "core/data/label_targets.h"

#include "io/mask_reader.h"

#include <algorithm>
#include <map>

namespace medclick {

LabelMask readCaseLabels(const LabeledCase& labeledCase, const ImageGeometry& imageGeometry) {
  return labeledCase.maskPaths.size() == 1 ? readMaskFor(labeledCase.maskPaths.front(), imageGeometry)
                                           : readCaseMask(labeledCase, imageGeometry, 0);
}

std::vector<LabelTarget> labelTargets(const LabelMask& labels, std::size_t minimumVoxels) {
  std::map<Label, std::size_t> counts;
  for (const Label v : labels.labels())
    if (v != 0) ++counts[v];
  std::vector<LabelTarget> targets;
  if (counts.size() < 2) return targets;
  for (const auto& [label, count] : counts) {
    if (count < minimumVoxels) continue;
    LabelTarget target{label, LabelMask(labels.geometry())};
    std::transform(labels.labels().begin(), labels.labels().end(), target.mask.labels().begin(),
                   [value = label](Label v) { return static_cast<Label>(v == value); });
    targets.push_back(std::move(target));
  }
  return targets;
}

} // namespace medclick
