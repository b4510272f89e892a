#include "eval/volume_evaluation_clicker.h"

#include "image/itk_mask_image.h"
#include "segmentation/largest_component.h"

#include <itkConstantPadImageFilter.h>
#include <itkSignedMaurerDistanceMapImageFilter.h>

#include <algorithm>
#include <stdexcept>

namespace medclick {

namespace {

using MaskImage = itk::Image<std::uint8_t, 3>;
using DistanceImage = itk::Image<float, 3>;

} // namespace

VolumeEvaluationClicker::VolumeEvaluationClicker(const LabelMask& reference) : reference_(reference) {
  if (reference.geometry().dimension != 3) throw std::invalid_argument("the 3D clicker needs a 3D reference mask");
}

std::optional<VolumeClick> VolumeEvaluationClicker::next(const std::vector<std::uint8_t>& prediction) {
  const auto& r = reference_.labels();
  const ImageGeometry& g = reference_.geometry();
  if (prediction.size() != r.size())
    throw std::invalid_argument("3D clicker: the prediction has " + std::to_string(prediction.size()) + " voxels, the reference " +
                                std::to_string(r.size()));
  std::vector<std::uint8_t> missed(r.size()), falseAlarm(r.size());
  for (std::size_t v = 0; v < r.size(); ++v) {
    missed[v] = r[v] && !prediction[v];
    falseAlarm[v] = !r[v] && prediction[v];
  }
  const LargestComponent fn = largestComponent(missed, g), fp = largestComponent(falseAlarm, g);
  if (fn.size == 0 && fp.size == 0) return std::nullopt;
  const bool positive = fn.size >= fp.size;
  const LargestComponent& region = positive ? fn : fp;

  auto pad = itk::ConstantPadImageFilter<MaskImage, MaskImage>::New();
  pad->SetInput(itkMaskImage<3>(region.voxels, g));
  MaskImage::SizeType one;
  one.Fill(1);
  pad->SetPadBound(one);
  pad->SetConstant(0);
  auto distance = itk::SignedMaurerDistanceMapImageFilter<MaskImage, DistanceImage>::New();
  distance->SetInput(pad->GetOutput());
  distance->SetUseImageSpacing(true);
  distance->SetSquaredDistance(false);
  distance->SetInsideIsPositive(true); // inside the region: the distance to its boundary
  distance->SetBackgroundValue(0);
  distance->Update();
  // The padded map is (nx + 2) × (ny + 2) × (nz + 2); voxel (i, j, k) lies at (i + 1, j + 1, k + 1).
  const float* map = distance->GetOutput()->GetBufferPointer();
  const std::size_t nx = g.size[0], ny = g.size[1], px = nx + 2, py = ny + 2;
  float deepest = -1.0f;
  std::size_t pick = 0;
  for (std::size_t k = 0, v = 0; k < g.size[2]; ++k)
    for (std::size_t j = 0; j < ny; ++j)
      for (std::size_t i = 0; i < nx; ++i, ++v) {
        if (!region.voxels[v] || clicked_.count(v)) continue;
        const float d = map[(i + 1) + px * ((j + 1) + py * (k + 1))];
        if (d > deepest) { // strictly deeper: ties keep the first voxel in buffer order
          deepest = d;
          pick = v;
        }
      }
  if (deepest < 0.0f) return std::nullopt; // every voxel of the region was clicked already
  clicked_.insert(pick);
  VolumeClick click{static_cast<double>(pick % nx), static_cast<double>((pick / nx) % ny), static_cast<double>(pick / (nx * ny)), positive};
  clicks_.push_back(click);
  return click;
}

} // namespace medclick
