#include "image/label_mask.h"

#include "io/image_io_error.h"

#include <algorithm>

namespace medclick {

LabelMask::LabelMask(const ImageGeometry& geometry, Label fill)
    : geometry_(geometry), labels_(geometry.voxelCount(), fill) {}

Label LabelMask::at(std::size_t i, std::size_t j, std::size_t k) const {
  const auto& s = geometry_.size;
  return labels_[(k * s[1] + j) * s[0] + i];
}

Label LabelMask::maximumLabel() const {
  return labels_.empty() ? 0 : *std::max_element(labels_.begin(), labels_.end());
}

std::size_t LabelMask::countNonZero() const {
  return static_cast<std::size_t>(std::count_if(labels_.begin(), labels_.end(), [](Label v) { return v != 0; }));
}

std::vector<std::uint8_t> objectVoxels(const LabelMask& mask) {
  std::vector<std::uint8_t> object(mask.labels().size());
  std::transform(mask.labels().begin(), mask.labels().end(), object.begin(), [](Label v) { return v != 0 ? 1 : 0; });
  return object;
}

void requireSameGrid(const ImageGeometry& image, const ImageGeometry& mask, const std::string& maskSource) {
  if (image.sameGridAs(mask)) return;
  throw ImageIOError(maskSource, "mask grid differs from the image grid: mask is " + mask.describe() +
                                     ", image is " + image.describe());
}

} // namespace medclick
