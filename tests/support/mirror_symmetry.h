#pragma once
// For the tests of flip averaging (IKAN's engine, KM-UNet's segmenter): an image symmetric about its
// vertical axis, and how far a per-pixel map of it is from that symmetry.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace medclick::test {

// A grey width × height image, row-major, equal in column x and width − 1 − x; rows repeat with `period`.
inline std::vector<float> mirrorSymmetricImage(int width, int height, int period) {
  std::vector<float> pixels(static_cast<size_t>(width * height));
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) pixels[static_cast<size_t>(y * width + x)] = static_cast<float>(std::abs(2 * x - (width - 1)) * (y % period));
  return pixels;
}

// The largest difference between a pixel of `map` and its mirror pixel across the vertical axis.
inline double largestMirrorAsymmetry(const std::vector<float>& map, int width, int height) {
  double worst = 0.0;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width / 2; ++x)
      worst = std::max(worst, std::abs(static_cast<double>(map[static_cast<size_t>(y * width + x)]) -
                                       static_cast<double>(map[static_cast<size_t>(y * width + width - 1 - x)])));
  return worst;
}

} // namespace medclick::test
