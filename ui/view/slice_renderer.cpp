#include "view/slice_renderer.h"

#include <algorithm>

namespace medclick::ui {

WindowLevel WindowLevel::fullRange(const Image& image) {
  const auto stats = image.statistics();
  const double width = std::max(stats.maximum - stats.minimum, 1e-6);
  return {width, stats.minimum + width / 2.0};
}

QImage renderSlice(const Image& image, const SliceRef& slice, const WindowLevel& wl, const LabelMask* mask, const OverlayStyle& style) {
  const SliceShape shape = sliceShape(image.geometry(), slice.axis);
  const unsigned components = image.components();
  const auto pixels = extractSlice(image.voxels(), image.geometry(), slice, components);
  std::vector<std::uint8_t> labels;
  if (mask) labels = extractSlice(mask->labels(), mask->geometry(), slice);
  const int w = static_cast<int>(shape.width), h = static_cast<int>(shape.height);
  QImage picture(w, h, QImage::Format_RGB32);
  const double low = wl.level - wl.window / 2.0;
  const auto grey = [&](float value) { return static_cast<int>(std::clamp((value - low) / wl.window, 0.0, 1.0) * 255.0 + 0.5); };
  const auto object = [&](int x, int y) { return x >= 0 && y >= 0 && x < w && y < h && labels[static_cast<size_t>(y) * w + x] != 0; };
  for (int y = 0; y < h; ++y) {
    auto* row = reinterpret_cast<QRgb*>(picture.scanLine(y));
    for (int x = 0; x < w; ++x) {
      const size_t p = static_cast<size_t>(y) * w + x;
      int r, g, b;
      if (components == 3) {
        r = grey(pixels[p * 3]);
        g = grey(pixels[p * 3 + 1]);
        b = grey(pixels[p * 3 + 2]);
      } else {
        r = g = b = grey(pixels[p]);
      }
      if (!labels.empty() && object(x, y)) {
        const bool edge = !object(x - 1, y) || !object(x + 1, y) || !object(x, y - 1) || !object(x, y + 1);
        const double a = style.outlineOnly ? (edge ? 1.0 : 0.0) : style.opacity;
        r = static_cast<int>(r * (1 - a) + style.colour.red() * a + 0.5);
        g = static_cast<int>(g * (1 - a) + style.colour.green() * a + 0.5);
        b = static_cast<int>(b * (1 - a) + style.colour.blue() * a + 0.5);
      }
      row[x] = qRgb(r, g, b);
    }
  }
  return picture;
}

} // namespace medclick::ui
