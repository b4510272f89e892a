#include "segmentation/clicked_objects.h"

#include <itkConnectedThresholdImageFilter.h>
#include <itkImportImageFilter.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace medclick {

std::size_t keepClickedObjects(std::vector<float>& probability, const ImageGeometry& g, const VolumeClickList& clicks, double threshold) {
  if (probability.size() != g.voxelCount())
    throw std::invalid_argument("keepClickedObjects: " + std::to_string(probability.size()) + " values for " +
                                std::to_string(g.voxelCount()) + " voxels");
  return keepClickedObjects(probability.data(), g, clicks, threshold).removed;
}

RemovedObjects keepClickedObjects(float* probabilityData, const ImageGeometry& g, const VolumeClickList& clicks, double threshold) {
  const std::size_t count = g.voxelCount();
  using ProbabilityVolume = itk::Image<float, 3>;
  using KeptVolume = itk::Image<std::uint8_t, 3>;
  auto grow = itk::ConnectedThresholdImageFilter<ProbabilityVolume, KeptVolume>::New();
  const auto index = [&](double value, std::size_t axis) -> itk::IndexValueType {
    const long long last = static_cast<long long>(g.size[axis]) - 1;
    const long long rounded = std::llround(value);
    return rounded < 0 ? 0 : rounded > last ? last : rounded;
  };
  bool anyPositive = false;
  for (const auto& c : clicks) {
    if (!c.positive) continue;
    grow->AddSeed(ProbabilityVolume::IndexType{{index(c.i, 0), index(c.j, 1), index(c.k, 2)}});
    anyPositive = true;
  }
  if (!anyPositive || count == 0) return {};

  // The object voxels are those above `threshold`; the filter keeps [lower, upper], so lower is the
  // smallest float above it.
  float lower = static_cast<float>(threshold);
  if (static_cast<double>(lower) <= threshold) lower = std::nextafter(lower, std::numeric_limits<float>::infinity());
  auto volume = itk::ImportImageFilter<float, 3>::New();
  ProbabilityVolume::RegionType region;
  region.SetSize(ProbabilityVolume::SizeType{{g.size[0], g.size[1], g.size[2]}});
  volume->SetRegion(region);
  volume->SetImportPointer(probabilityData, count, false); // read in place, not copied
  grow->SetInput(volume->GetOutput());
  grow->SetLower(lower);
  grow->SetUpper(std::numeric_limits<float>::max());
  grow->SetReplaceValue(1);
  grow->SetConnectivity(itk::ConnectedThresholdImageFilterEnums::Connectivity::FaceConnectivity);
  grow->Update();

  const std::uint8_t* kept = grow->GetOutput()->GetBufferPointer(); // 1: reached from a positive click
  RemovedObjects result;
  for (std::size_t k = 0, v = 0; k < g.size[2]; ++k)
    for (std::size_t j = 0; j < g.size[1]; ++j)
      for (std::size_t i = 0; i < g.size[0]; ++i, ++v)
        if (probabilityData[v] >= lower && !kept[v]) {
          probabilityData[v] = 0.0f;
          ++result.removed;
          result.box = result.box.united(VoxelBox{{i, j, k}, {i + 1, j + 1, k + 1}});
        }
  return result;
}

namespace {

class ClickedObjectsEngine : public SegmentationEngine {
public:
  explicit ClickedObjectsEngine(std::unique_ptr<SegmentationEngine> inner) : inner_(std::move(inner)) {}

  std::string name() const override { return inner_->name(); }
  std::string deviceName() const override { return inner_->deviceName(); }

  EngineCapabilities capabilities() const override { return inner_->capabilities(); }

  void setImage(const EngineImage& image) override {
    inner_->setImage(image);
    grid_ = ImageGeometry{};
    grid_.dimension = 3;
    grid_.size = image.size;
    grid_.spacing = image.spacing;
  }

  // The objects without a positive click may lie anywhere, outside the inner engine's box too: the
  // box returned covers what was removed as well.
  VoxelBox refine(const VolumeClickList& clicks, std::size_t firstNewClick, float* probability) override {
    VoxelBox box = inner_->refine(clicks, firstNewClick, probability);
    return box.united(keepClickedObjects(probability, grid_, clicks, 0.5).box);
  }

private:
  std::unique_ptr<SegmentationEngine> inner_;
  ImageGeometry grid_;
};

} // namespace

std::unique_ptr<SegmentationEngine> keepingClickedObjects(std::unique_ptr<SegmentationEngine> engine) {
  if (!engine) throw std::invalid_argument("keepingClickedObjects: no engine");
  return std::make_unique<ClickedObjectsEngine>(std::move(engine));
}

} // namespace medclick
