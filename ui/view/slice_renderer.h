#pragma once
// Turns one slice of an image, with its mask, into the picture a view shows: intensities through a
// window/level (as in ITK-SNAP and Slicer), the mask blended on top in a colour at an opacity, or
// drawn as its outline.

#include "image/image.h"
#include "image/label_mask.h"
#include "session/slice_access.h"

#include <QColor>
#include <QImage>

namespace medclick::ui {

struct WindowLevel {
  double window = 1.0; // width of the displayed intensity range
  double level = 0.5;  // its centre
  static WindowLevel fullRange(const Image& image);
};

struct OverlayStyle {
  QColor colour{255, 140, 0};
  double opacity = 0.45;
  bool outlineOnly = false;
};

QImage renderSlice(const Image& image, const SliceRef& slice, const WindowLevel& windowLevel, const LabelMask* mask = nullptr,
                   const OverlayStyle& style = {});

} // namespace medclick::ui
