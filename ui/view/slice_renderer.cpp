#include "view/slice_renderer.h"

#include <algorithm>
#include <unordered_map>

namespace medclick::ui {

WindowLevel WindowLevel::fullRange(const Image& image) {
  const auto stats = image.statistics();
  const double width = std::max(stats.maximum - stats.minimum, 1e-6);
  return {width, stats.minimum + width / 2.0};
}

QImage renderSlice(const Image& image, const SliceRef& slice, const WindowLevel& wl, const LabelMask* mask, const OverlayStyle& style,
                   const std::vector<Segment>& segments) {
  const SliceShape shape = sliceShape(image.geometry(), slice.axis);
  const unsigned components = image.components();
  const auto pixels = extractSlice(image.voxels(), image.geometry(), slice, components);
  std::vector<Label> labels;
  if (mask) labels = extractSlice(mask->labels(), mask->geometry(), slice);
  struct Look {
    QColor colour;
    double opacity;
    bool visible;
  };
  std::unordered_map<Label, Look> looks;
  for (const Segment& s : segments)
    looks[s.label] = {QColor(s.colour[0], s.colour[1], s.colour[2]), style.opacity * s.opacity, s.visible};
  const Look otherLabel{style.colour, style.opacity, true};
  const int w = static_cast<int>(shape.width), h = static_cast<int>(shape.height);
  QImage picture(w, h, QImage::Format_RGB32);
  const double low = wl.level - wl.window / 2.0;
  const auto grey = [&](float value) { return static_cast<int>(std::clamp((value - low) / wl.window, 0.0, 1.0) * 255.0 + 0.5); };
  const auto labelAt = [&](int x, int y) { return x >= 0 && y >= 0 && x < w && y < h ? labels[static_cast<size_t>(y) * w + x] : Label(0); };
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
      const Label label = labels.empty() ? Label(0) : labels[p];
      if (label != 0) {
        const auto found = looks.find(label);
        const Look& look = found == looks.end() ? otherLabel : found->second;
        // An outline is where the label meets another one (or the background), per segment.
        const bool edge = labelAt(x - 1, y) != label || labelAt(x + 1, y) != label || labelAt(x, y - 1) != label || labelAt(x, y + 1) != label;
        const double a = !look.visible ? 0.0 : style.outlineOnly ? (edge ? 1.0 : 0.0) : look.opacity;
        r = static_cast<int>(r * (1 - a) + look.colour.red() * a + 0.5);
        g = static_cast<int>(g * (1 - a) + look.colour.green() * a + 0.5);
        b = static_cast<int>(b * (1 - a) + look.colour.blue() * a + 0.5);
      }
      row[x] = qRgb(r, g, b);
    }
  }
  return picture;
}

} // namespace medclick::ui
