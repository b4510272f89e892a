#include "segmentation/clicked_objects.h"

#include "segmentation/connected_components.h"

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace medclick {

int keepClickedObjects(std::vector<float>& probability, const ImageGeometry& g, const VolumeClickList& clicks, double threshold) {
  if (probability.size() != g.voxelCount())
    throw std::invalid_argument("keepClickedObjects: " + std::to_string(probability.size()) + " values for " +
                                std::to_string(g.voxelCount()) + " voxels");
  bool anyPositive = false;
  for (const auto& c : clicks) anyPositive = anyPositive || c.positive;
  if (!anyPositive) return 0;
  std::vector<std::uint8_t> mask(probability.size());
  for (std::size_t v = 0; v < probability.size(); ++v) mask[v] = probability[v] > threshold ? 1 : 0;
  const ComponentLabels components = labelComponents(mask, g);
  if (components.count == 0) return 0;
  std::vector<std::uint8_t> clicked(static_cast<std::size_t>(components.count) + 1, 0);
  const auto index = [&](double value, std::size_t axis) -> long long {
    const long long last = static_cast<long long>(g.size[axis]) - 1;
    const long long rounded = std::llround(value);
    return rounded < 0 ? 0 : rounded > last ? last : rounded;
  };
  for (const auto& c : clicks) {
    if (!c.positive) continue;
    const std::size_t v = static_cast<std::size_t>((index(c.k, 2) * static_cast<long long>(g.size[1]) + index(c.j, 1)) *
                                                       static_cast<long long>(g.size[0]) +
                                                   index(c.i, 0));
    clicked[components.labels[v]] = 1; // label 0 (the click fell on background) marks nothing
  }
  int removed = 0;
  for (int label = 1; label <= components.count; ++label) removed += clicked[static_cast<std::size_t>(label)] ? 0 : 1;
  if (removed == 0) return 0;
  for (std::size_t v = 0; v < probability.size(); ++v)
    if (mask[v] && !clicked[components.labels[v]]) probability[v] = 0.0f;
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
