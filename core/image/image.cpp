#include "image/image.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace medclick {

Image::Image(ImageGeometry geometry, unsigned components, PixelType storedType)
    : geometry_(geometry), components_(components), storedType_(storedType),
      voxels_(geometry.voxelCount() * components, 0.0f) {}

float Image::at(std::size_t i, std::size_t j, std::size_t k, unsigned component) const {
  const auto& s = geometry_.size;
  return voxels_[((k * s[1] + j) * s[0] + i) * components_ + component];
}

void Image::replaceNonFinite() {
  float finiteMinimum = std::numeric_limits<float>::max();
  std::size_t count = 0;
  for (float v : voxels_) {
    if (std::isfinite(v))
      finiteMinimum = std::min(finiteMinimum, v);
    else
      ++count;
  }
  if (count == voxels_.size()) finiteMinimum = 0.0f; // nothing finite to borrow from
  for (float& v : voxels_)
    if (!std::isfinite(v)) v = finiteMinimum;
  nonFiniteCount_ = count;
}

IntensityStatistics Image::statistics() const {
  IntensityStatistics stats;
  if (voxels_.empty()) return stats;
  const auto [lo, hi] = std::minmax_element(voxels_.begin(), voxels_.end());
  double sum = 0;
  for (float v : voxels_) sum += v;
  stats.minimum = *lo;
  stats.maximum = *hi;
  stats.mean = sum / static_cast<double>(voxels_.size());
  return stats;
}

Image Image::toIntensity() const {
  if (components_ == 1) return *this;
  Image grey(geometry_, 1, storedType_);
  const std::size_t n = geometry_.voxelCount();
  for (std::size_t p = 0; p < n; ++p) {
    const float* rgb = &voxels_[p * components_];
    grey.voxels_[p] = 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
  }
  return grey;
}

} // namespace medclick
