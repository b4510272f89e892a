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
  if (!anyPositive || probability.empty()) return 0;

  // The object voxels are those above `threshold`; the filter keeps [lower, upper], so lower is the
  // smallest float above it.
  float lower = static_cast<float>(threshold);
  if (static_cast<double>(lower) <= threshold) lower = std::nextafter(lower, std::numeric_limits<float>::infinity());
  auto volume = itk::ImportImageFilter<float, 3>::New();
  ProbabilityVolume::RegionType region;
  region.SetSize(ProbabilityVolume::SizeType{{g.size[0], g.size[1], g.size[2]}});
  volume->SetRegion(region);
  volume->SetImportPointer(probability.data(), probability.size(), false); // read in place, not copied
  grow->SetInput(volume->GetOutput());
  grow->SetLower(lower);
  grow->SetUpper(std::numeric_limits<float>::max());
  grow->SetReplaceValue(1);
  grow->SetConnectivity(itk::ConnectedThresholdImageFilterEnums::Connectivity::FaceConnectivity);
  grow->Update();

  const std::uint8_t* kept = grow->GetOutput()->GetBufferPointer(); // 1: reached from a positive click
  std::size_t removed = 0;
  for (std::size_t v = 0; v < probability.size(); ++v)
    if (probability[v] >= lower && !kept[v]) {
      probability[v] = 0.0f;
      ++removed;
    }
  return removed;
}

namespace {

class ClickedObjectsEngine : public VolumeInteractiveEngine {
public:
  explicit ClickedObjectsEngine(std::unique_ptr<VolumeInteractiveEngine> inner) : inner_(std::move(inner)) {}

  std::string name() const override { return inner_->name(); }
  std::string deviceName() const override { return inner_->deviceName(); }

  void setVolume(const float* voxels, const std::array<std::size_t, 3>& size, const std::array<double, 3>& spacing) override {
    inner_->setVolume(voxels, size, spacing);
    grid_ = ImageGeometry{};
    grid_.dimension = 3;
    grid_.size = size;
    grid_.spacing = spacing;
  }

  std::vector<float> refine(const VolumeClickList& clicks, const float* previousProbability) override {
    std::vector<float> probability = inner_->refine(clicks, previousProbability);
    if (probability.size() == grid_.voxelCount()) keepClickedObjects(probability, grid_, clicks, 0.5);
    return probability; // a wrong size is the caller's error to report, untouched here
  }

private:
  std::unique_ptr<VolumeInteractiveEngine> inner_;
  ImageGeometry grid_;
};

} // namespace

std::unique_ptr<VolumeInteractiveEngine> keepingClickedObjects(std::unique_ptr<VolumeInteractiveEngine> engine) {
  if (!engine) throw std::invalid_argument("keepingClickedObjects: no engine");
  return std::make_unique<ClickedObjectsEngine>(std::move(engine));
}

} // namespace medclick
