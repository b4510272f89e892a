#pragma once
// "Fill between slices" (ITK-SNAP's and Slicer's): a structure drawn on two slices of a volume
// is filled on every slice between them by shape-based interpolation (Herman, Zheng and Bucholtz,
// 1992): each drawn slice becomes ITK's signed Euclidean distance map of its outline in mm, the
// maps are shifted so that the shapes' centroids follow a straight line between the slices, blended
// linearly by the slice's position between the two, and the blend's inside (within half a voxel
// of the outline) is the shape there. Debian 12's ITK 5.2 lacks the MorphologicalContourInterpolator
// remote module; the distance-map blend is its classical predecessor and handles shapes that move,
// grow and shrink between the slices. Voxels of other labels are never overwritten.

#include "engine/voxel_box.h"
#include "image/label_mask.h"
#include "session/slice_access.h"

#include <cstdint>

namespace medclick {

// Fills slices strictly between `from` and `to` (same axis, at least one slice apart) with `label`
// where the interpolated shape lies and the voxel is background; returns the box it may have
// changed (empty when the slices are adjacent). Throws std::invalid_argument when the slices are
// on different axes, outside the grid, or one of them holds no voxel of `label`.
VoxelBox interpolateBetweenSlices(LabelMask& mask, Label label, const SliceRef& from, const SliceRef& to);

} // namespace medclick
