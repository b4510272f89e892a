#include "segmentation/largest_component.h"

#include "image/itk_mask_image.h"

#include <itkConnectedComponentImageFilter.h>

#include <algorithm>
#include <stdexcept>

namespace medclick {

namespace {

template <unsigned D>
std::vector<std::uint32_t> componentLabels(const std::vector<std::uint8_t>& mask, const ImageGeometry& g, int& count) {
  using LabelImage = itk::Image<std::uint32_t, D>;
  auto components = itk::ConnectedComponentImageFilter<itk::Image<std::uint8_t, D>, LabelImage>::New();
  components->SetInput(itkMaskImage<D>(mask, g));
  components->SetFullyConnected(false);
  components->Update();
  count = static_cast<int>(components->GetObjectCount());
  const std::uint32_t* labels = components->GetOutput()->GetBufferPointer();
  return std::vector<std::uint32_t>(labels, labels + mask.size());
}

} // namespace

LargestComponent largestComponent(const std::vector<std::uint8_t>& mask, const ImageGeometry& g) {
  if (mask.size() != g.voxelCount())
    throw std::invalid_argument("largestComponent: " + std::to_string(mask.size()) + " values for " + std::to_string(g.voxelCount()) +
                                " voxels");
  LargestComponent largest;
  if (std::find_if(mask.begin(), mask.end(), [](std::uint8_t v) { return v != 0; }) == mask.end())
    return largest; // nothing to label: spare ITK a pass over the grid
  const auto labels = g.dimension == 2 ? componentLabels<2>(mask, g, largest.components) : componentLabels<3>(mask, g, largest.components);
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
