#include "inference/ikan/zoom_in.h"

#include <algorithm>
#include <cmath>

namespace medclick {

double boxIou(const PixelBox& a, const PixelBox& b) {
  const int w = std::min(a.x1, b.x1) - std::max(a.x0, b.x0) + 1, h = std::min(a.y1, b.y1) - std::max(a.y0, b.y0) + 1;
  const double intersection = w > 0 && h > 0 ? static_cast<double>(w) * h : 0.0;
  return intersection / (static_cast<double>(a.width()) * a.height() + static_cast<double>(b.width()) * b.height() - intersection);
}

std::optional<PixelBox> ZoomIn::roiFor(const ClickList& clicks, const float* previousProbability, int width, int height) {
  if (!options_.enabled || static_cast<int>(clicks.size()) <= options_.skipClicks) return std::nullopt;
  // The object's box: the previous mask and every positive click.
  int x0 = width, y0 = height, x1 = -1, y1 = -1;
  bool predicted = false;
  if (previousProbability)
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x)
        if (previousProbability[static_cast<size_t>(y) * width + x] > options_.threshold) {
          predicted = true;
          x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
        }
  const bool anyPositive = std::any_of(clicks.begin(), clicks.end(), [](const Click& c) { return c.positive; });
  // Nothing to zoom on: the whole image, as RITM; or the positive clicks' neighbourhood.
  if (!predicted && !(options_.cropAroundFirstClicks && anyPositive)) return std::nullopt;
  const auto clamped = [](double v, int size) { return std::clamp(static_cast<int>(std::lround(v)), 0, size - 1); };
  for (const Click& c : clicks)
    if (c.positive) {
      const int x = clamped(c.x, width), y = clamped(c.y, height);
      x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  // Enlarged about its centre, at least the minimum crop, then clamped to the image.
  const double minimum = options_.minCropFraction * std::min(width, height);
  const double cx = 0.5 * (x0 + x1), cy = 0.5 * (y0 + y1);
  const double w = std::max(options_.expansionRatio * (x1 - x0 + 1), minimum), h = std::max(options_.expansionRatio * (y1 - y0 + 1), minimum);
  const PixelBox box{clamped(cx - 0.5 * w, width), clamped(cy - 0.5 * h, height), clamped(cx + 0.5 * w, width), clamped(cy + 0.5 * h, height)};

  bool keep = roi_.has_value() && boxIou(*roi_, box) >= options_.recomputeIou;
  if (keep)
    for (const Click& c : clicks) // a positive click outside the kept crop needs a new one
      if (c.positive && (c.x < roi_->x0 || c.x > roi_->x1 || c.y < roi_->y0 || c.y > roi_->y1)) keep = false;
  if (!keep) roi_ = box;
  return roi_;
}

} // namespace medclick
