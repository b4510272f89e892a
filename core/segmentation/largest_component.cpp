#include "segmentation/largest_component.h"

#include "segmentation/connected_components.h"

#include <algorithm>
#include <stdexcept>

namespace medclick {

LargestComponent largestComponent(const std::vector<std::uint8_t>& mask, const ImageGeometry& g) {
  LargestComponent largest;
  const ComponentLabels components = labelComponents(mask, g); // checks the sizes
  largest.components = components.count;
  const auto& labels = components.labels;
  if (largest.components == 0) return largest;
  std::vector<std::size_t> sizes(static_cast<std::size_t>(largest.components) + 1, 0);
  for (const auto label : labels) ++sizes[label];
  std::uint32_t best = 1;
  for (std::uint32_t label = 2; label < sizes.size(); ++label)
    if (sizes[label] > sizes[best]) best = label;
  largest.size = sizes[best];
  largest.voxels.resize(mask.size());
  for (std::size_t v = 0; v < mask.size(); ++v) largest.voxels[v] = labels[v] == best ? 1 : 0;
  return largest;
}

int keepLargestComponent(std::vector<float>& probability, const ImageGeometry& g, double threshold) {
  if (probability.size() != g.voxelCount())
    throw std::invalid_argument("keepLargestComponent: " + std::to_string(probability.size()) + " values for " +
                                std::to_string(g.voxelCount()) + " voxels");
  std::vector<std::uint8_t> mask(probability.size());
  for (std::size_t v = 0; v < probability.size(); ++v) mask[v] = probability[v] > threshold ? 1 : 0;
  const LargestComponent largest = largestComponent(mask, g);
  if (largest.components <= 1) return largest.components;
  for (std::size_t v = 0; v < probability.size(); ++v)
    if (mask[v] && !largest.voxels[v]) probability[v] = 0.0f;
  return largest.components;
}

} // namespace medclick
