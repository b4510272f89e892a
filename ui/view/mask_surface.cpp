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

// Smallest index box holding every non-zero voxel; empty when there is none.
struct VoxelBox {
  std::array<std::size_t, 3> first{0, 0, 0};
  std::array<std::size_t, 3> last{0, 0, 0};
  bool empty = true;
};

VoxelBox nonZeroBox(const LabelMask& mask) {
  VoxelBox box;
  const auto& size = mask.geometry().size;
  const auto& labels = mask.labels();
  std::size_t index = 0;
  for (std::size_t k = 0; k < size[2]; ++k)
    for (std::size_t j = 0; j < size[1]; ++j)
      for (std::size_t i = 0; i < size[0]; ++i, ++index) {
        if (labels[index] == 0) continue;
        const std::array<std::size_t, 3> voxel{i, j, k};
        for (int a = 0; a < 3; ++a) {
          box.first[a] = box.empty ? voxel[a] : std::min(box.first[a], voxel[a]);
          box.last[a] = box.empty ? voxel[a] : std::max(box.last[a], voxel[a]);
        }
        box.empty = false;
      }
  return box;
}

// The 0/1 mask cropped to the box plus one zero voxel on every side, on the physical grid. The
// padding closes the surface where the mask touches the grid border; cropping keeps the iso-surface
// and smoothing work proportional to the object, not to the volume. VTK places point (i, j, k) at
// origin + direction * diag(spacing) * (i, j, k) whatever the extent's start, so the crop needs no
// change of origin, and the padding may start at index -1.
vtkSmartPointer<vtkImageData> paddedBinaryImage(const LabelMask& mask, const ImageGeometry& geometry,
                                                const VoxelBox& box) {
  std::array<int, 6> extent{};
  for (int a = 0; a < 3; ++a) {
    extent[2 * a] = static_cast<int>(box.first[a]) - 1;
    extent[2 * a + 1] = static_cast<int>(box.last[a]) + 1;
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
        *out = inGrid && labels[(static_cast<std::size_t>(k) * size[1] + static_cast<std::size_t>(j)) * size[0] +
                                static_cast<std::size_t>(i)] != 0
                   ? 1
                   : 0;
      }
  return image;
}

} // namespace

vtkSmartPointer<vtkPolyData> extractMaskSurface(const LabelMask& mask, const ImageGeometry& geometry) {
  if (mask.geometry().size != geometry.size)
    throw std::invalid_argument("mask size differs from the surface grid: mask is " + mask.geometry().describe() +
                                ", grid is " + geometry.describe());
  auto surface = vtkSmartPointer<vtkPolyData>::New();
  if (geometry.dimension < 3 || geometry.size[2] < 2) return surface;
  const VoxelBox box = nonZeroBox(mask);
  if (box.empty) return surface;

  // VTK 9.1's flying edges applies the image's direction matrix to its output points, so the
  // surface comes out in physical coordinates directly.
  vtkNew<vtkFlyingEdges3D> isoSurface;
  isoSurface->SetInputData(paddedBinaryImage(mask, geometry, box));
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
