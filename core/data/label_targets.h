#pragma once
// Every label of a multi-label reference as a target of its own (issue 24): BraTS stores four tumour
// sub-regions (1 necrosis, 2 oedema, 3 non-enhancing, 4 enhancing) in one mask, and a clinician may
// click any one of them as "the lesion". Training (train --label-targets) and evaluation (evaluate
// --label-targets) both take them from here, so both mean the same targets.

#include "core/data/labeled_dataset.h"
#include "image/label_mask.h"

#include <cstddef>
#include <vector>

namespace medclick {

// The case's labels as stored: one mask file is read as it is; several (BUSI's extra lesions) are
// merged by OR into label 1.
LabelMask readCaseLabels(const LabeledCase& labeledCase, const ImageGeometry& imageGeometry);

struct LabelTarget {
  Label label = 0;
  LabelMask mask; // 1 where the reference holds this label
};

// One target per label of at least minimumVoxels voxels, in label order; none for a mask that stores
// a single label (the case's whole mask is already that target).
std::vector<LabelTarget> labelTargets(const LabelMask& labels, std::size_t minimumVoxels = 100);

} // namespace medclick
