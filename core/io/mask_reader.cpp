#include "io/mask_reader.h"

#include "io/image_io_error.h"
#include "io/image_reader.h"

#include <cmath>

namespace medclick {

LabelMask readMask(const std::string& path) {
  const Image image = readImage(path);
  if (image.isRgb()) throw ImageIOError(path, "a mask must be a single-channel image, this one is RGB");
  if (image.nonFiniteCount() > 0) throw ImageIOError(path, "a mask cannot hold NaN or Inf values");
  LabelMask mask(image.geometry());
  bool onlyZeroAnd255 = true;
  const auto& values = image.voxels();
  auto& labels = mask.labels();
  for (std::size_t p = 0; p < values.size(); ++p) {
    const float v = values[p];
    if (v < 0 || v > 65535 || v != std::floor(v))
      throw ImageIOError(path, "a mask holds integer labels 0..65535; found the value " + std::to_string(v));
    labels[p] = static_cast<Label>(v);
    onlyZeroAnd255 = onlyZeroAnd255 && (labels[p] == 0 || labels[p] == 255);
  }
  if (onlyZeroAnd255)
    for (auto& label : labels) label = label ? 1 : 0;
  return mask;
}

LabelMask readMaskFor(const std::string& path, const ImageGeometry& imageGeometry) {
  LabelMask mask = readMask(path);
  requireSameGrid(imageGeometry, mask.geometry(), path);
  return mask;
}

} // namespace medclick
