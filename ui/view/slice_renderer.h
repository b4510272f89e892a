#pragma once
// Turns one slice of an image, with its label map, into the picture a view shows: intensities through a
// window/level (as in ITK-SNAP and Slicer), each segment blended on top in its colour at the overlay's
// opacity times its own, or drawn as its outline; hidden segments are not drawn.

#include "image/image.h"
#include "image/label_mask.h"
#include "segments/segment.h"
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
  QColor colour{255, 140, 0}; // of labels that are no segment (or with no segments given)
  double opacity = 0.45;
  bool outlineOnly = false;
};

QImage renderSlice(const Image& image, const SliceRef& slice, const WindowLevel& windowLevel, const LabelMask* mask = nullptr,
                   const OverlayStyle& style = {}, const std::vector<Segment>& segments = {});

} // namespace medclick::ui
