#pragma once
// The 3D surface of a label mask, in physical millimetres (LPS), for the surface view: every voxel
// of the chosen label is inside (label 0: every non-zero voxel, whatever its label). The surface passes half-way between inside and
// outside voxel centres (iso 0.5 of the 0/1 mask), is lightly smoothed without shrinking, closed
// where the mask touches the grid border, and carries outward point normals for lighting.
//
// A mask without depth (2D, or a single slice) has no volume to bound: its surface is empty, as is
// the surface of a mask with no non-zero voxel.

#include "engine/voxel_box.h"
#include "image/image_geometry.h"
#include "image/label_mask.h"

#include <vtkSmartPointer.h>

class vtkPolyData;

namespace medclick::ui {

// geometry places the mask's voxels (normally the image's geometry; spacing, origin and direction
// all count). Throws std::invalid_argument when the mask does not have geometry's size.
vtkSmartPointer<vtkPolyData> extractMaskSurface(const LabelMask& mask, const ImageGeometry& geometry);
// The same, when the smallest box holding every non-zero voxel is known (nonZeroBox): the surface
// then costs what the object's box costs, not a scan of the volume.
vtkSmartPointer<vtkPolyData> extractMaskSurface(const LabelMask& mask, const ImageGeometry& geometry, const VoxelBox& objectBox,
                                                Label label = 0);

// The smallest box holding every non-zero voxel of the mask inside `within` (empty: none). After
// an operation that changed only box C, the object's new box is nonZeroBox(mask, old box ∪ C):
// outside both, the mask is what it was, zero.
// With a label: the box of that label's voxels.
VoxelBox nonZeroBox(const LabelMask& mask, const VoxelBox& within, Label label = 0);

} // namespace medclick::ui
