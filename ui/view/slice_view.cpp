#include "view/slice_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace medclick::ui {

namespace {
constexpr double kClickTolerance = 4.0; // widget pixels a click may move before it becomes a drag
constexpr double kMinZoom = 0.25, kMaxZoom = 32.0;
} // namespace

SliceView::SliceView(QWidget* parent) : QWidget(parent) {
  setMinimumSize(64, 64);
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(true);
}

void SliceView::setPicture(const QImage& picture, double pixelAspect) {
  picture_ = picture;
  shown_ = flipVertical_ ? picture.mirrored(false, true) : picture;
  pixelAspect_ = pixelAspect > 0 ? pixelAspect : 1.0;
  update();
}

void SliceView::setFlipVertical(bool flip) {
  flipVertical_ = flip;
  setPicture(picture_, pixelAspect_);
}

void SliceView::setMarkers(const ClickList& clicks) {
  markers_ = clicks;
  update();
}

void SliceView::setCrosshair(std::optional<QPointF> slicePixel) {
  crosshair_ = slicePixel;
  update();
}

void SliceView::resetZoom() {
  zoom_ = 1.0;
  pan_ = {};
  update();
}

QRectF SliceView::pictureRect() const {
  if (picture_.isNull()) return {};
  const double physicalWidth = picture_.width(), physicalHeight = picture_.height() * pixelAspect_;
  const double scale = std::min(width() / physicalWidth, height() / physicalHeight) * zoom_;
  const QSizeF size(physicalWidth * scale, physicalHeight * scale);
  return QRectF(QPointF((width() - size.width()) / 2.0 + pan_.x(), (height() - size.height()) / 2.0 + pan_.y()), size);
}

QPointF SliceView::slicePosition(const QPointF& widgetPosition) const {
  const QRectF r = pictureRect();
  if (r.isEmpty() || !r.contains(widgetPosition)) return {-1, -1};
  // Pixel centres: widget position → continuous pixel coordinate, minus half a pixel.
  const double x = (widgetPosition.x() - r.left()) / r.width() * picture_.width() - 0.5;
  double y = (widgetPosition.y() - r.top()) / r.height() * picture_.height() - 0.5;
  if (flipVertical_) y = picture_.height() - 1.0 - y;
  return {std::clamp(x, 0.0, picture_.width() - 1.0), std::clamp(y, 0.0, picture_.height() - 1.0)};
}

QPointF SliceView::widgetPosition(const QPointF& p) const {
  const QRectF r = pictureRect();
  if (r.isEmpty()) return {};
  const double row = flipVertical_ ? picture_.height() - 1.0 - p.y() : p.y();
  return {r.left() + (p.x() + 0.5) / picture_.width() * r.width(), r.top() + (row + 0.5) / picture_.height() * r.height()};
}

void SliceView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), Qt::black);
  if (picture_.isNull()) return;
  const QRectF r = pictureRect();
  painter.drawImage(r, shown_);
  painter.setRenderHint(QPainter::Antialiasing);
  if (crosshair_) {
    const QPointF c = widgetPosition(*crosshair_);
    painter.setPen(QPen(QColor(80, 160, 255, 200), 1, Qt::DashLine));
    painter.drawLine(QPointF(r.left(), c.y()), QPointF(r.right(), c.y()));
    painter.drawLine(QPointF(c.x(), r.top()), QPointF(c.x(), r.bottom()));
  }
  for (const Click& click : markers_) {
    const QPointF c = widgetPosition({click.x, click.y});
    painter.setPen(QPen(Qt::white, 1.5));
    painter.setBrush(click.positive ? QColor(40, 200, 60) : QColor(220, 40, 40));
    painter.drawEllipse(c, 5.0, 5.0);
  }
  if ((tool_ == ViewTool::Brush || tool_ == ViewTool::Eraser) && cursor_.x() >= 0) {
    const QPointF c = widgetPosition(cursor_);
    const double rx = brushRadius_ * r.width() / picture_.width(), ry = brushRadius_ * r.height() / picture_.height();
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(tool_ == ViewTool::Brush ? Qt::yellow : Qt::cyan, 1));
    painter.drawEllipse(c, rx, ry);
  }
  if (!title_.isEmpty()) {
    painter.setPen(Qt::white);
    painter.drawText(rect().adjusted(6, 4, -6, -4), Qt::AlignLeft | Qt::AlignTop, title_);
  }
}

void SliceView::mousePressEvent(QMouseEvent* event) {
  dragButton_ = event->button();
  pressPosition_ = lastPosition_ = event->position();
  dragged_ = false;
  const QPointF p = slicePosition(event->position());
  if (event->button() == Qt::LeftButton && p.x() >= 0 && (tool_ == ViewTool::Brush || tool_ == ViewTool::Eraser))
    emit brushed(p.x(), p.y(), tool_ == ViewTool::Brush);
}

void SliceView::mouseMoveEvent(QMouseEvent* event) {
  const QPointF p = slicePosition(event->position());
  if (p != cursor_) {
    cursor_ = p;
    emit hovered(p.x(), p.y());
    if (tool_ == ViewTool::Brush || tool_ == ViewTool::Eraser) update();
  }
  if (dragButton_ == Qt::NoButton) return;
  const QPointF delta = event->position() - lastPosition_;
  lastPosition_ = event->position();
  if (QLineF(pressPosition_, event->position()).length() > kClickTolerance) dragged_ = true;
  switch (dragButton_) {
  case Qt::MiddleButton:
    pan_ += delta;
    update();
    break;
  case Qt::RightButton:
    if (dragged_) emit windowLevelDragged(delta.x(), delta.y());
    break;
  case Qt::LeftButton:
    if (p.x() < 0) break;
    if (tool_ == ViewTool::Brush || tool_ == ViewTool::Eraser)
      emit brushed(p.x(), p.y(), tool_ == ViewTool::Brush);
    else if (tool_ == ViewTool::Navigate || (event->modifiers() & Qt::ControlModifier))
      emit crosshairRequested(p.x(), p.y());
    break;
  default:
    break;
  }
}

void SliceView::mouseReleaseEvent(QMouseEvent* event) {
  const Qt::MouseButton button = dragButton_;
  dragButton_ = Qt::NoButton;
  if (button != event->button() || dragged_) return;
  const QPointF p = slicePosition(event->position());
  if (p.x() < 0) return;
  const bool navigate = tool_ == ViewTool::Navigate || (event->modifiers() & Qt::ControlModifier);
  if (button == Qt::LeftButton && navigate) {
    emit crosshairRequested(p.x(), p.y());
    return;
  }
  if (tool_ != ViewTool::Click && tool_ != ViewTool::Navigate) return;
  if (button == Qt::LeftButton)
    emit clicked(p.x(), p.y(), !(event->modifiers() & Qt::ShiftModifier));
  else if (button == Qt::RightButton)
    emit clicked(p.x(), p.y(), false);
}

void SliceView::wheelEvent(QWheelEvent* event) {
  const int steps = event->angleDelta().y() / 120;
  if (steps == 0) return;
  if (event->modifiers() & Qt::ControlModifier) {
    // Zoom about the cursor: the slice point under it stays under it.
    const QRectF before = pictureRect();
    const double newZoom = std::clamp(zoom_ * std::pow(1.25, steps), kMinZoom, kMaxZoom);
    const QPointF anchor = event->position();
    const double factor = newZoom / zoom_;
    zoom_ = newZoom;
    const QRectF after = pictureRect();
    const QPointF wanted = anchor - (anchor - before.topLeft()) * factor;
    pan_ += wanted - after.topLeft();
    update();
    return;
  }
  emit sliceStepRequested(steps > 0 ? 1 : -1);
}

void SliceView::keyPressEvent(QKeyEvent* event) {
  switch (event->key()) {
  case Qt::Key_PageUp:
  case Qt::Key_Up:
    emit sliceStepRequested(1);
    break;
  case Qt::Key_PageDown:
  case Qt::Key_Down:
    emit sliceStepRequested(-1);
    break;
  default:
    QWidget::keyPressEvent(event);
  }
}

void SliceView::leaveEvent(QEvent*) {
  cursor_ = {-1, -1};
  emit hovered(-1, -1);
  update();
}

} // namespace medclick::ui
