#include "view/ortho_viewer.h"

#include <QGridLayout>

#include <algorithm>
#include <cmath>

namespace medclick::ui {

namespace {

// Row spacing over column spacing of a slice: what keeps an anisotropic slice's proportions.
double pixelAspectOf(const ImageGeometry& g, SliceAxis axis) {
  switch (axis) {
  case SliceAxis::Axial: return g.spacing[1] / g.spacing[0];
  case SliceAxis::Coronal: return g.spacing[2] / g.spacing[0];
  case SliceAxis::Sagittal: return g.spacing[2] / g.spacing[1];
  }
  return 1.0;
}

// Coronal and sagittal rows run along k; show them head up when k points to the patient's head
// (+z in ITK's LPS space).
bool headUpNeedsFlip(const ImageGeometry& g, SliceAxis axis) { return axis != SliceAxis::Axial && g.direction[8] > 0; }

QString titleOf(SliceAxis axis) {
  switch (axis) {
  case SliceAxis::Axial: return OrthoViewer::tr("Axial");
  case SliceAxis::Coronal: return OrthoViewer::tr("Coronal");
  case SliceAxis::Sagittal: return OrthoViewer::tr("Sagittal");
  }
  return {};
}

} // namespace

OrthoViewer::OrthoViewer(QWidget* parent) : QWidget(parent), grid_(new QGridLayout(this)) {
  grid_->setContentsMargins(0, 0, 0, 0);
  grid_->setSpacing(2);
  for (const SliceAxis axis : {SliceAxis::Sagittal, SliceAxis::Coronal, SliceAxis::Axial}) {
    auto* view = new SliceView(this);
    view->setObjectName(QStringLiteral("sliceView%1").arg(static_cast<int>(axis)));
    views_[static_cast<int>(axis)] = view;
    connect(view, &SliceView::clicked, this, [this, axis](double x, double y, bool positive) {
      activeAxis_ = axis;
      emit clickRequested(sliceOf(axis), x, y, positive);
    });
    connect(view, &SliceView::brushed, this, [this, axis](double x, double y, bool object) {
      activeAxis_ = axis;
      emit brushRequested(sliceOf(axis), x, y, object);
    });
    connect(view, &SliceView::crosshairRequested, this, [this, axis](double x, double y) {
      activeAxis_ = axis;
      setCursor(voxelOf(axis, x, y));
    });
    connect(view, &SliceView::hovered, this, [this, axis](double x, double y) {
      if (x < 0 || !image_) {
        emit voxelHovered(std::nullopt);
        return;
      }
      activeAxis_ = axis;
      emit voxelHovered(voxelOf(axis, x, y));
    });
    connect(view, &SliceView::sliceStepRequested, this, [this, axis](int step) {
      if (!image_) return;
      activeAxis_ = axis;
      auto voxel = cursor_;
      const auto a = static_cast<int>(axis);
      const long long next = static_cast<long long>(voxel[a]) + step;
      if (next < 0 || next >= static_cast<long long>(image_->geometry().size[a])) return;
      voxel[a] = static_cast<std::size_t>(next);
      setCursor(voxel);
    });
    connect(view, &SliceView::windowLevelDragged, this, [this](double dx, double dy) {
      if (!image_) return;
      // As in ITK-SNAP: right/left widens/narrows the window, down/up lowers/raises the level,
      // by a share of the full range per pixel so every modality drags at the same pace.
      const auto stats = image_->statistics();
      const double range = std::max(stats.maximum - stats.minimum, 1e-6);
      WindowLevel wl = windowLevel_;
      wl.window = std::max(range * 1e-3, wl.window + dx * range / 500.0);
      wl.level -= dy * range / 500.0;
      setWindowLevel(wl);
    });
  }
  rebuildViews();
}

bool OrthoViewer::isVolume() const { return image_ && image_->geometry().hasDepth(); }

SliceView* OrthoViewer::view(SliceAxis axis) const {
  return isVolume() || axis == SliceAxis::Axial ? views_[static_cast<int>(axis)] : nullptr;
}

void OrthoViewer::rebuildViews() {
  while (grid_->count() > 0) grid_->takeAt(0);
  const bool volume = isVolume();
  auto* axial = views_[static_cast<int>(SliceAxis::Axial)];
  auto* coronal = views_[static_cast<int>(SliceAxis::Coronal)];
  auto* sagittal = views_[static_cast<int>(SliceAxis::Sagittal)];
  if (volume) { // ITK-SNAP's layout: axial and sagittal on top, coronal and 3D below
    grid_->addWidget(axial, 0, 0);
    grid_->addWidget(sagittal, 0, 1);
    grid_->addWidget(coronal, 1, 0);
    if (surface_) grid_->addWidget(surface_, 1, 1);
  } else {
    grid_->addWidget(axial, 0, 0);
  }
  coronal->setVisible(volume);
  sagittal->setVisible(volume);
  if (surface_) surface_->setVisible(volume);
  for (auto* v : views_) v->setTitle(volume ? titleOf(static_cast<SliceAxis>(v == axial ? 2 : v == coronal ? 1 : 0)) : QString());
}

void OrthoViewer::setSurfaceWidget(QWidget* widget) {
  surface_ = widget;
  surface_->setParent(this);
  rebuildViews();
}

void OrthoViewer::setImage(std::shared_ptr<const Image> image) {
  image_ = std::move(image);
  snapshot_.reset();
  const auto& g = image_->geometry();
  cursor_ = {g.size[0] / 2, g.size[1] / 2, g.size[2] / 2};
  windowLevel_ = WindowLevel::fullRange(*image_);
  activeAxis_ = SliceAxis::Axial;
  for (const SliceAxis axis : {SliceAxis::Sagittal, SliceAxis::Coronal, SliceAxis::Axial}) {
    views_[static_cast<int>(axis)]->setFlipVertical(headUpNeedsFlip(g, axis));
    views_[static_cast<int>(axis)]->resetZoom();
  }
  rebuildViews();
  refresh();
}

void OrthoViewer::setSnapshot(SnapshotPtr snapshot) {
  snapshot_ = std::move(snapshot);
  refresh();
}

void OrthoViewer::setWindowLevel(const WindowLevel& windowLevel) {
  windowLevel_ = windowLevel;
  refresh();
}

void OrthoViewer::setOverlayStyle(const OverlayStyle& style) {
  style_ = style;
  refresh();
}

void OrthoViewer::setTool(ViewTool tool) {
  for (auto* v : views_) v->setTool(tool);
}

void OrthoViewer::setBrushRadius(double pixels) {
  for (auto* v : views_) v->setBrushRadius(pixels);
}

void OrthoViewer::resetZoom() {
  for (auto* v : views_) v->resetZoom();
}

void OrthoViewer::setCursor(const std::array<std::size_t, 3>& voxel) {
  if (!image_) return;
  const auto& size = image_->geometry().size;
  for (int a = 0; a < 3; ++a) cursor_[a] = std::min(voxel[a], size[a] - 1);
  refresh();
  emit cursorChanged(cursor_);
}

SliceRef OrthoViewer::currentSlice() const { return sliceOf(isVolume() ? activeAxis_ : SliceAxis::Axial); }

std::array<std::size_t, 3> OrthoViewer::voxelOf(SliceAxis axis, double x, double y) const {
  auto voxel = cursor_;
  const auto u = static_cast<std::size_t>(x + 0.5), v = static_cast<std::size_t>(y + 0.5);
  switch (axis) {
  case SliceAxis::Axial: voxel[0] = u; voxel[1] = v; break;
  case SliceAxis::Coronal: voxel[0] = u; voxel[2] = v; break;
  case SliceAxis::Sagittal: voxel[1] = u; voxel[2] = v; break;
  }
  return voxel;
}

void OrthoViewer::refresh() {
  if (!image_) return;
  refreshView(SliceAxis::Axial);
  if (isVolume()) {
    refreshView(SliceAxis::Coronal);
    refreshView(SliceAxis::Sagittal);
  }
}

void OrthoViewer::refreshView(SliceAxis axis) {
  SliceView* view = views_[static_cast<int>(axis)];
  const SliceRef slice = sliceOf(axis);
  const LabelMask* mask = snapshot_ ? &snapshot_->mask() : nullptr;
  const std::vector<Segment> segments = snapshot_ ? snapshot_->segmentList() : std::vector<Segment>{};
  view->setPicture(renderSlice(*image_, slice, windowLevel_, mask, style_, segments), pixelAspectOf(image_->geometry(), axis));
  ClickList markers = snapshot_ ? snapshot_->clicksOf(slice) : ClickList{};
  if (snapshot_)
    for (const VolumeClick& c : snapshot_->volumeClicks) { // a 3D click shows on the planes within half a voxel of it
      const double along[3] = {c.i, c.j, c.k};
      if (std::abs(along[static_cast<int>(axis)] - static_cast<double>(slice.index)) > 0.5) continue;
      switch (axis) {
      case SliceAxis::Axial: markers.push_back({c.i, c.j, c.positive}); break;
      case SliceAxis::Coronal: markers.push_back({c.i, c.k, c.positive}); break;
      case SliceAxis::Sagittal: markers.push_back({c.j, c.k, c.positive}); break;
      }
    }
  view->setMarkers(markers);
  if (isVolume()) {
    const auto& c = cursor_;
    switch (axis) {
    case SliceAxis::Axial: view->setCrosshair(QPointF(c[0], c[1])); break;
    case SliceAxis::Coronal: view->setCrosshair(QPointF(c[0], c[2])); break;
    case SliceAxis::Sagittal: view->setCrosshair(QPointF(c[1], c[2])); break;
    }
    view->setTitle(titleOf(axis) + QStringLiteral("  %1/%2").arg(slice.index + 1).arg(image_->geometry().size[static_cast<int>(axis)]));
  } else {
    view->setCrosshair(std::nullopt);
  }
}

} // namespace medclick::ui
