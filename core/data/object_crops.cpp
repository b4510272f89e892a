#include "core/data/object_crops.h"

#include "segmentation/connected_components.h"

#include <algorithm>
#include <stdexcept>

namespace medclick {

std::vector<ObjectCrop> objectCrops(const Image& image, const LabelMask& mask, std::size_t minimumPixels, int minimumSide) {
  const ImageGeometry& g = image.geometry();
  if (g.hasDepth() || image.components() != 1) throw std::invalid_argument("object crops are taken from grey 2D images");
  if (!g.sameGridAs(mask.geometry())) throw std::invalid_argument("object crops: the mask is not on the image's grid");
  const int width = static_cast<int>(g.size[0]), height = static_cast<int>(g.size[1]);
  const ComponentLabels objects = labelComponents(objectVoxels(mask), g);
  struct Box {
    int x0, y0, x1, y1;
    std::size_t area = 0;
  };
  std::vector<Box> boxes(static_cast<std::size_t>(objects.count) + 1, Box{width, height, -1, -1});
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const std::uint32_t object = objects.labels[static_cast<std::size_t>(y) * width + x];
      if (object == 0) continue;
      Box& b = boxes[object];
      b = {std::min(b.x0, x), std::min(b.y0, y), std::max(b.x1, x), std::max(b.y1, y), b.area + 1};
    }
  std::vector<ObjectCrop> crops;
  for (int object = 1; object <= objects.count; ++object) {
    const Box& b = boxes[static_cast<std::size_t>(object)];
    if (b.area < std::max<std::size_t>(1, minimumPixels)) continue;
    const int extent = std::max(b.x1 - b.x0 + 1, b.y1 - b.y0 + 1);
    const int side = std::min({std::max(2 * extent, minimumSide), width, height});
    ObjectCrop crop;
    crop.side = side;
    // Centred on the object, shifted back inside the image.
    crop.x0 = std::clamp((b.x0 + b.x1 + 1) / 2 - side / 2, 0, width - side);
    crop.y0 = std::clamp((b.y0 + b.y1 + 1) / 2 - side / 2, 0, height - side);
    crop.pixels.resize(static_cast<std::size_t>(side) * side);
    crop.mask.resize(crop.pixels.size());
    for (int y = 0; y < side; ++y)
      for (int x = 0; x < side; ++x) {
        const std::size_t from = static_cast<std::size_t>(crop.y0 + y) * width + (crop.x0 + x), to = static_cast<std::size_t>(y) * side + x;
        crop.pixels[to] = image.voxels()[from];
        crop.mask[to] = objects.labels[from] == static_cast<std::uint32_t>(object) ? 1 : 0;
      }
    crops.push_back(std::move(crop));
  }
  return crops;
}

} // namespace medclick
