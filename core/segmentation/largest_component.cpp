#include "segmentation/largest_component.h"

#include <itkConnectedComponentImageFilter.h>
#include <itkImage.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>

namespace medclick {

namespace {

template <unsigned D>
std::vector<std::uint32_t> componentLabels(const std::vector<std::uint8_t>& mask, const ImageGeometry& g, int& count) {
  using MaskImage = itk::Image<std::uint8_t, D>;
  using LabelImage = itk::Image<std::uint32_t, D>;
  auto image = MaskImage::New();
  typename MaskImage::SizeType size;
  for (unsigned a = 0; a < D; ++a) size[a] = g.size[a];
  image->SetRegions(typename MaskImage::RegionType(size));
  image->Allocate();
  std::copy(mask.begin(), mask.end(), image->GetBufferPointer());
  auto components = itk::ConnectedComponentImageFilter<MaskImage, LabelImage>::New();
  components->SetInput(image);
  components->SetFullyConnected(false);
  components->Update();
  count = static_cast<int>(components->GetObjectCount());
  const std::uint32_t* labels = components->GetOutput()->GetBufferPointer();
  return std::vector<std::uint32_t>(labels, labels + mask.size());
}

} // namespace

int keepLargestComponent(std::vector<float>& probability, const ImageGeometry& g, double threshold) {
  if (probability.size() != g.voxelCount())
    throw std::invalid_argument("keepLargestComponent: " + std::to_string(probability.size()) + " values for " +
                                std::to_string(g.voxelCount()) + " voxels");
  std::vector<std::uint8_t> mask(probability.size());
  for (std::size_t v = 0; v < probability.size(); ++v) mask[v] = probability[v] > threshold ? 1 : 0;
  int count = 0;
  const auto labels = g.dimension == 2 ? componentLabels<2>(mask, g, count) : componentLabels<3>(mask, g, count);
  if (count <= 1) return count;
  std::vector<std::size_t> sizes(static_cast<std::size_t>(count) + 1, 0);
  for (const auto label : labels) ++sizes[label];
  sizes[0] = 0; // the background
  const auto largest = static_cast<std::uint32_t>(std::max_element(sizes.begin(), sizes.end()) - sizes.begin());
  for (std::size_t v = 0; v < probability.size(); ++v)
    if (mask[v] && labels[v] != largest) probability[v] = 0.0f;
  return count;
}

} // namespace medclick
