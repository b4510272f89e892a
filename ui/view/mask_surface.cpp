#include "view/mask_surface.h"

#include <vtkFlyingEdges3D.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPolyData.h>
#include <vtkPolyDataNormals.h>
#include <vtkWindowedSincPolyDataFilter.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>

namespace medclick::ui {

namespace {

// The 0/1 mask cropped to the box plus one zero voxel on every side, on the physical grid. The
// padding closes the surface where the mask touches the grid border; cropping keeps the iso-surface
// and smoothing work proportional to the object, not to the volume. VTK places point (i, j, k) at
// origin + direction * diag(spacing) * (i, j, k) whatever the extent's start, so the crop needs no
// change of origin, and the padding may start at index -1.
vtkSmartPointer<vtkImageData> paddedBinaryImage(const LabelMask& mask, const ImageGeometry& geometry,
                                                const VoxelBox& box, Label label) {
  std::array<int, 6> extent{};
  for (int a = 0; a < 3; ++a) {
    extent[2 * a] = static_cast<int>(box.begin[a]) - 1;
    extent[2 * a + 1] = static_cast<int>(box.end[a]); // the last voxel, end - 1, plus one
  }
  auto image = vtkSmartPointer<vtkImageData>::New();
  image->SetExtent(extent.data());
  image->SetSpacing(geometry.spacing.data());
  image->SetOrigin(geometry.origin.data());
  image->SetDirectionMatrix(geometry.direction.data()); // row-major, as ImageGeometry stores it
  image->AllocateScalars(VTK_UNSIGNED_CHAR, 1);

  const auto& size = geometry.size;
  const auto& labels = mask.labels();
  auto* out = static_cast<std::uint8_t*>(image->GetScalarPointer());
  for (int k = extent[4]; k <= extent[5]; ++k)
    for (int j = extent[2]; j <= extent[3]; ++j)
      for (int i = extent[0]; i <= extent[1]; ++i, ++out) {
        const bool inGrid = i >= 0 && j >= 0 && k >= 0 && static_cast<std::size_t>(i) < size[0] &&
                            static_cast<std::size_t>(j) < size[1] && static_cast<std::size_t>(k) < size[2];
        const Label v = inGrid ? labels[(static_cast<std::size_t>(k) * size[1] + static_cast<std::size_t>(j)) * size[0] +
                                        static_cast<std::size_t>(i)]
                               : Label(0);
        *out = v != 0 && (label == 0 || v == label) ? 1 : 0;
      }
  return image;
}

} // namespace

VoxelBox nonZeroBox(const LabelMask& mask, const VoxelBox& within, Label label) {
  const auto& size = mask.geometry().size;
  VoxelBox search = within;
  for (int a = 0; a < 3; ++a) search.end[a] = std::min(search.end[a], size[a]);
  VoxelBox box; // empty until a non-zero voxel is seen
  bool found = false;
  const auto& labels = mask.labels();
  if (search.empty()) return box;
  for (std::size_t k = search.begin[2]; k < search.end[2]; ++k)
    for (std::size_t j = search.begin[1]; j < search.end[1]; ++j) {
      const Label* row = labels.data() + (k * size[1] + j) * size[0];
      for (std::size_t i = search.begin[0]; i < search.end[0]; ++i) {
        if (row[i] == 0 || (label != 0 && row[i] != label)) continue;
        const std::array<std::size_t, 3> voxel{i, j, k};
        for (int a = 0; a < 3; ++a) {
          box.begin[a] = found ? std::min(box.begin[a], voxel[a]) : voxel[a];
          box.end[a] = found ? std::max(box.end[a], voxel[a] + 1) : voxel[a] + 1;
        }
        found = true;
      }
    }
  return box;
}

vtkSmartPointer<vtkPolyData> extractMaskSurface(const LabelMask& mask, const ImageGeometry& geometry) {
  return extractMaskSurface(mask, geometry, nonZeroBox(mask, VoxelBox::whole(mask.geometry().size)));
}

vtkSmartPointer<vtkPolyData> extractMaskSurface(const LabelMask& mask, const ImageGeometry& geometry, const VoxelBox& box,
                                                Label label) {
  if (mask.geometry().size != geometry.size)
    throw std::invalid_argument("mask size differs from the surface grid: mask is " + mask.geometry().describe() +
                                ", grid is " + geometry.describe());
  auto surface = vtkSmartPointer<vtkPolyData>::New();
  if (!geometry.hasDepth()) return surface;
  if (box.empty()) return surface;

  // VTK 9.1's flying edges applies the image's direction matrix to its output points, so the
  // surface comes out in physical coordinates directly.
  vtkNew<vtkFlyingEdges3D> isoSurface;
  isoSurface->SetInputData(paddedBinaryImage(mask, geometry, box, label));
  isoSurface->SetValue(0, 0.5);
  isoSurface->ComputeNormalsOff(); // they would be stale after smoothing; recomputed below
  isoSurface->ComputeGradientsOff();
  isoSurface->ComputeScalarsOff(); // a constant 0.5 that a mapper would colour by

  // Windowed-sinc smoothing removes the voxel staircase without the shrinkage of Laplacian
  // smoothing, so the enclosed volume stays that of the mask. Normalised coordinates make the pass
  // band independent of the object's size in millimetres.
  vtkNew<vtkWindowedSincPolyDataFilter> smoother;
  smoother->SetInputConnection(isoSurface->GetOutputPort());
  smoother->SetNumberOfIterations(15);
  smoother->SetPassBand(0.1);
  smoother->BoundarySmoothingOff();
  smoother->FeatureEdgeSmoothingOff();
  smoother->NonManifoldSmoothingOn();
  smoother->NormalizeCoordinatesOn();

  // A direction matrix with determinant -1 (a mirrored axis, common in LPS files) reverses the
  // triangles' winding, so normals are oriented outward from the geometry, not from the winding.
  vtkNew<vtkPolyDataNormals> normals;
  normals->SetInputConnection(smoother->GetOutputPort());
  normals->SplittingOff();
  normals->ConsistencyOn();
  normals->AutoOrientNormalsOn();
  normals->ComputePointNormalsOn();
  normals->ComputeCellNormalsOff();
  normals->Update();

  surface->ShallowCopy(normals->GetOutput());
  return surface;
}

} // namespace medclick::ui
