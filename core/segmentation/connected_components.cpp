#include "segmentation/connected_components.h"

#include "image/itk_mask_image.h"

#include <itkConnectedComponentImageFilter.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace medclick {

namespace {

template <unsigned D>
void labelWithItk(const std::vector<std::uint8_t>& mask, const ImageGeometry& g, ComponentLabels& out) {
  using LabelImage = itk::Image<std::uint32_t, D>;
  auto components = itk::ConnectedComponentImageFilter<itk::Image<std::uint8_t, D>, LabelImage>::New();
  components->SetInput(itkMaskImage<D>(mask, g));
  components->SetFullyConnected(false);
  components->Update();
  out.count = static_cast<int>(components->GetObjectCount());
  const std::uint32_t* labels = components->GetOutput()->GetBufferPointer();
  out.labels.assign(labels, labels + mask.size());
}

} // namespace

ComponentLabels labelComponents(const std::vector<std::uint8_t>& mask, const ImageGeometry& g) {
  if (mask.size() != g.voxelCount())
    throw std::invalid_argument("connected components: " + std::to_string(mask.size()) + " values for " + std::to_string(g.voxelCount()) +
                                " voxels");
  ComponentLabels out;
  if (std::find_if(mask.begin(), mask.end(), [](std::uint8_t v) { return v != 0; }) == mask.end()) {
    out.labels.assign(mask.size(), 0); // nothing to label: spare ITK a pass over the grid
    return out;
  }
  if (g.dimension == 2)
    labelWithItk<2>(mask, g, out);
  else
    labelWithItk<3>(mask, g, out);
  return out;
}

} // namespace medclick
