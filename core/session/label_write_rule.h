#pragma once
// Which voxels the active segment may take: the one rule every edit of a multi-label segmentation goes
// through (engine results, brush, eraser, fill, propagation, fill between slices), so no tool can
// overwrite another structure by accident. Slicer calls it the masking settings, ITK-SNAP "paint over".

#include "image/label_mask.h"
#include "segments/segment_list.h"

#include <vector>

namespace medclick {

enum class OverwriteMode {
  Background,       // the active segment grows into the background only: other segments are never changed
  UnlockedSegments, // it may also take voxels of other segments, except those of locked ones
};

class LabelWriteRule {
public:
  LabelWriteRule(const SegmentList& segments, Label active, OverwriteMode mode);
  // May the active segment write a voxel that now carries `current`?
  bool mayWrite(Label current) const {
    return current == 0 || current == active_ || (mode_ == OverwriteMode::UnlockedSegments && !locked_[current]);
  }
  // The active segment's new probability of a region (`probability`, in place) and the region's labels
  // (`labels`, in place, in the same order). A voxel it may write becomes the active label where the
  // probability is above 0.5, and background where it was the active label and no longer is; any
  // other voxel keeps its label, and its probability becomes 0, so the active segment's probability
  // above 0.5 is exactly its voxels (what the next click sees as the previous mask).
  void apply(std::vector<float>& probability, std::vector<Label>& labels) const;

private:
  Label active_;
  OverwriteMode mode_;
  std::vector<bool> locked_; // by label
};

// A binary mask (any non-zero voxel) becomes segment `label` of `map` on the voxels the rule lets it
// take (OverwriteMode::Background): other labels stay, and the label's old voxels outside the mask
// become background. What `medclick-cli segment --label N --into MAP` does. Throws
// GeometryMismatchError for a mask on another grid, std::invalid_argument for label 0.
void writeSegmentInto(LabelMask& map, const LabelMask& mask, Label label);

} // namespace medclick
