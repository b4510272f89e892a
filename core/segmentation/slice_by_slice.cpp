#include "segmentation/slice_by_slice.h"

#include <algorithm>
#include <stdexcept>

namespace medclick {

std::vector<float> segmentSliceBySlice(SegmentationEngine& segmenter, const std::vector<Image>& modalities) {
  if (modalities.empty()) throw std::invalid_argument("no image to segment");
  const ImageGeometry& g = modalities.front().geometry();
  const size_t width = g.size[0], height = g.size[1], depth = g.dimension == 3 ? g.size[2] : 1;
  const size_t channels = modalities.size(), plane = width * height;
  std::vector<float> probability(plane * depth, 0.0f);
  std::vector<float> interleaved(plane * channels); // the segmenter's pixel layout: channels of a pixel together
  for (size_t k = 0; k < depth; ++k) {
    bool anyStructure = false;
    for (size_t c = 0; c < channels; ++c) {
      const float* slice = modalities[c].voxels().data() + k * plane;
      const auto [low, high] = std::minmax_element(slice, slice + plane);
      anyStructure = anyStructure || *high > *low;
      for (size_t i = 0; i < plane; ++i) interleaved[i * channels + c] = slice[i];
    }
    if (!anyStructure) continue;
    segmenter.setImage(planeImage(interleaved.data(), width, height, static_cast<int>(channels)));
    segmenter.refine({}, 0, probability.data() + k * plane); // the slice's part of the volume's map
  }
  return probability;
}

} // namespace medclick
