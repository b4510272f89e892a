#include "eval/volume_evaluation_clicker.h"

#include <itkConnectedComponentImageFilter.h>
#include <itkConstantPadImageFilter.h>
#include <itkImage.h>
#include <itkSignedMaurerDistanceMapImageFilter.h>

#include <algorithm>
#include <stdexcept>

namespace medclick {

namespace {

using MaskImage = itk::Image<std::uint8_t, 3>;
using ComponentImage = itk::Image<std::uint32_t, 3>;
using DistanceImage = itk::Image<float, 3>;

MaskImage::Pointer maskImage(const std::vector<std::uint8_t>& voxels, const ImageGeometry& g) {
  auto image = MaskImage::New();
  MaskImage::SizeType size;
  MaskImage::SpacingType spacing;
  for (unsigned a = 0; a < 3; ++a) {
    size[a] = g.size[a];
    spacing[a] = g.spacing[a];
  }
  image->SetRegions(MaskImage::RegionType(size));
  image->SetSpacing(spacing);
  image->Allocate();
  std::copy(voxels.begin(), voxels.end(), image->GetBufferPointer());
  return image;
}

struct LargestComponent {
  std::vector<std::uint8_t> voxels; // 0/1 over the whole volume
  std::size_t count = 0;
};

LargestComponent largestComponent(const std::vector<std::uint8_t>& error, const ImageGeometry& g) {
  LargestComponent largest;
  if (std::find(error.begin(), error.end(), 1) == error.end()) return largest;
  auto components = itk::ConnectedComponentImageFilter<MaskImage, ComponentImage>::New();
  components->SetInput(maskImage(error, g));
  components->SetFullyConnected(false); // face neighbours
  components->Update();
  const std::uint32_t* labels = components->GetOutput()->GetBufferPointer();
  std::vector<std::size_t> sizes(components->GetObjectCount() + 1, 0);
  for (std::size_t v = 0; v < error.size(); ++v) ++sizes[labels[v]];
  std::uint32_t best = 1;
  for (std::uint32_t label = 1; label < sizes.size(); ++label)
    if (sizes[label] > sizes[best]) best = label; // the first (lowest label) on a tie
  largest.count = sizes[best];
  largest.voxels.resize(error.size());
  for (std::size_t v = 0; v < error.size(); ++v) largest.voxels[v] = labels[v] == best ? 1 : 0;
  return largest;
}

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
  LargestComponent fn = largestComponent(missed, g), fp = largestComponent(falseAlarm, g);
  if (fn.count == 0 && fp.count == 0) return std::nullopt;
  const bool positive = fn.count >= fp.count;
  const LargestComponent& region = positive ? fn : fp;

  auto pad = itk::ConstantPadImageFilter<MaskImage, MaskImage>::New();
  pad->SetInput(maskImage(region.voxels, g));
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
