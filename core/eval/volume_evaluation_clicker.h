#pragma once
// The simulated user of the 3D protocol (CAISeg §IV-B2, as issue 4 specifies it): each round one
// point in the largest 3D connected error region, at its distance-transform maximum.
//   errors   false negatives (reference ∧ ¬prediction) and false positives (¬reference ∧ prediction),
//            each split into face-connected components by ITK's ConnectedComponentImageFilter; the
//            largest component by voxel count wins (a false-negative one on a tie) and fixes the sign
//   where    ITK's exact Euclidean distance map (Maurer) of that component, in millimetres with the
//            spacing, the volume padded by one voxel so that its faces count as boundary (as the 2D
//            clicker pads by 1 px); voxels already clicked are excluded; ties break at the first voxel
//            in ITK's buffer order (i fastest)
// With an empty prediction the first click is therefore positive, deep inside the largest lesion part.

#include "engine/click.h"
#include "image/label_mask.h"

#include <optional>
#include <set>

namespace medclick {

class VolumeEvaluationClicker {
public:
  // reference: a 3D mask, non-zero = lesion.
  explicit VolumeEvaluationClicker(const LabelMask& reference);

  // The next click for this prediction (the reference's voxel count, non-zero = lesion), or nullopt
  // when no error is left. The click is remembered, so it is never placed twice.
  std::optional<VolumeClick> next(const std::vector<std::uint8_t>& prediction);

  const VolumeClickList& clicks() const { return clicks_; }

private:
  const LabelMask& reference_;
  std::set<std::size_t> clicked_;
  VolumeClickList clicks_;
};

} // namespace medclick
