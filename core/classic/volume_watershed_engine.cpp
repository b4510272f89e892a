#include "classic/volume_watershed_engine.h"

#include <itkGradientMagnitudeRecursiveGaussianImageFilter.h>
#include <itkImage.h>
#include <itkMorphologicalWatershedFromMarkersImageFilter.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace medclick {

namespace {

using VolumeImage = itk::Image<float, 3>;
using MarkerImage = itk::Image<unsigned char, 3>;

constexpr unsigned char kBackground = 1, kObject = 2;
constexpr double kSeedRadiusMm = 2.0;      // around each click the label is certain (2D: 3 px)
constexpr double kSmoothingSigmaMm = 1.5;  // noise would make a basin per grain

class VolumeWatershedEngine : public SegmentationEngine {
public:
  std::string name() const override { return "classic (3D watershed)"; }
  std::string deviceName() const override { return "cpu"; }

  EngineCapabilities capabilities() const override {
    EngineCapabilities c;
    c.dimension = 3;
    c.channels = {1};
    return c;
  }

  void setImage(const EngineImage& given) override {
    const auto& size = given.size;
    const auto& spacing = given.spacing;
    const float* voxels = given.voxels;
    if (size[0] == 0 || size[1] == 0 || size[2] == 0) throw std::invalid_argument("3D watershed: the volume is empty");
    if (given.channels != 1) throw std::invalid_argument("3D watershed: takes one grey volume");
    auto image = VolumeImage::New();
    VolumeImage::SizeType itkSize;
    VolumeImage::SpacingType itkSpacing;
    for (unsigned a = 0; a < 3; ++a) {
      itkSize[a] = size[a];
      itkSpacing[a] = spacing[a];
    }
    image->SetRegions(VolumeImage::RegionType(itkSize));
    image->SetSpacing(itkSpacing);
    image->Allocate();
    std::copy(voxels, voxels + image->GetBufferedRegion().GetNumberOfPixels(), image->GetBufferPointer());
    // The flooding relief: the gradient magnitude after Gaussian smoothing (sigma in mm, with the spacing).
    auto gradient = itk::GradientMagnitudeRecursiveGaussianImageFilter<VolumeImage, VolumeImage>::New();
    gradient->SetInput(image);
    gradient->SetSigma(kSmoothingSigmaMm);
    gradient->Update();
    gradient_ = gradient->GetOutput();
    gradient_->DisconnectPipeline();
    size_ = size;
    spacing_ = spacing;
  }

  VoxelBox refine(const VolumeClickList& clicks, std::size_t, float* probability) override {
    if (!gradient_) throw std::logic_error("3D watershed: refine() before setImage()");
    if (clicks.empty()) throw std::logic_error("3D watershed: needs at least one click (it has no automatic mode)");
    auto markers = MarkerImage::New();
    markers->CopyInformation(gradient_);
    markers->SetRegions(gradient_->GetBufferedRegion());
    markers->Allocate();
    markers->FillBuffer(0);
    unsigned char* m = markers->GetBufferPointer();
    const std::size_t nx = size_[0], ny = size_[1], nz = size_[2];
    const auto at = [&](std::size_t i, std::size_t j, std::size_t k) { return i + nx * (j + ny * k); };
    // The faces are background: a lesion never fills the whole volume.
    for (std::size_t k = 0; k < nz; ++k)
      for (std::size_t j = 0; j < ny; ++j)
        for (std::size_t i = 0; i < nx; ++i)
          if (i == 0 || j == 0 || k == 0 || i + 1 == nx || j + 1 == ny || k + 1 == nz) m[at(i, j, k)] = kBackground;
    for (const VolumeClick& c : clicks) paintBall(m, c, c.positive ? kObject : kBackground);

    auto watershed = itk::MorphologicalWatershedFromMarkersImageFilter<VolumeImage, MarkerImage>::New();
    watershed->SetInput1(gradient_);
    watershed->SetMarkerImage(markers);
    watershed->SetMarkWatershedLine(false); // every voxel belongs to a basin
    watershed->SetFullyConnected(false);
    watershed->Update();
    const unsigned char* labels = watershed->GetOutput()->GetBufferPointer();
    for (std::size_t v = 0; v < nx * ny * nz; ++v) probability[v] = labels[v] == kObject ? 1.0f : 0.0f;
    return VoxelBox::whole(size_);
  }

private:
  // A ball of kSeedRadiusMm (at least the clicked voxel) around a click, in physical units.
  void paintBall(unsigned char* m, const VolumeClick& c, unsigned char label) const {
    const std::array<double, 3> centre{c.i, c.j, c.k};
    std::array<long, 3> low{}, high{};
    for (unsigned a = 0; a < 3; ++a) {
      const long reach = static_cast<long>(std::floor(kSeedRadiusMm / spacing_[a]));
      const long middle = std::lround(centre[a]);
      low[a] = std::max<long>(0, middle - reach);
      high[a] = std::min<long>(static_cast<long>(size_[a]) - 1, middle + reach);
    }
    for (long k = low[2]; k <= high[2]; ++k)
      for (long j = low[1]; j <= high[1]; ++j)
        for (long i = low[0]; i <= high[0]; ++i) {
          const double dx = (static_cast<double>(i) - std::round(centre[0])) * spacing_[0];
          const double dy = (static_cast<double>(j) - std::round(centre[1])) * spacing_[1];
          const double dz = (static_cast<double>(k) - std::round(centre[2])) * spacing_[2];
          if (dx * dx + dy * dy + dz * dz <= kSeedRadiusMm * kSeedRadiusMm)
            m[static_cast<std::size_t>(i) + size_[0] * (static_cast<std::size_t>(j) + size_[1] * static_cast<std::size_t>(k))] = label;
        }
  }

  VolumeImage::Pointer gradient_;
  std::array<std::size_t, 3> size_{};
  std::array<double, 3> spacing_{};
};

} // namespace

std::unique_ptr<SegmentationEngine> createVolumeWatershedEngine() { return std::make_unique<VolumeWatershedEngine>(); }

} // namespace medclick
