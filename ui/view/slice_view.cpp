#include "view/slice_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

namespace medclick::ui {

SliceView::SliceView(QWidget* parent) : QWidget(parent) {
  setMinimumSize(64, 64);
  setFocusPolicy(Qt::StrongFocus);
}

void SliceView::setPicture(const QImage& picture, double pixelAspect) {
  picture_ = picture;
  pixelAspect_ = pixelAspect > 0 ? pixelAspect : 1.0;
  update();
}

QRectF SliceView::pictureRect() const {
  if (picture_.isNull()) return {};
  const double physicalWidth = picture_.width(), physicalHeight = picture_.height() * pixelAspect_;
  const double scale = std::min(width() / physicalWidth, height() / physicalHeight);
  const QSizeF size(physicalWidth * scale, physicalHeight * scale);
  return QRectF(QPointF((width() - size.width()) / 2.0, (height() - size.height()) / 2.0), size);
}

QPointF SliceView::slicePosition(const QPointF& widgetPosition) const {
  const QRectF r = pictureRect();
  if (r.isEmpty() || !r.contains(widgetPosition)) return {-1, -1};
  // Pixel centres: widget position → continuous pixel coordinate, minus half a pixel.
  return {(widgetPosition.x() - r.left()) / r.width() * picture_.width() - 0.5,
          (widgetPosition.y() - r.top()) / r.height() * picture_.height() - 0.5};
}

void SliceView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), Qt::black);
  if (!picture_.isNull()) painter.drawImage(pictureRect(), picture_);
}

void SliceView::mousePressEvent(QMouseEvent* event) {
  const QPointF p = slicePosition(event->position());
  if (p.x() < 0) return;
  const bool negative = event->button() == Qt::RightButton || (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier));
  if (event->button() != Qt::LeftButton && event->button() != Qt::RightButton) return;
  emit clicked(std::max(0.0, p.x()), std::max(0.0, p.y()), !negative);
}

void SliceView::wheelEvent(QWheelEvent* event) {
  const int steps = event->angleDelta().y() / 120;
  if (steps != 0) emit sliceStepRequested(steps > 0 ? 1 : -1);
}

} // namespace medclick::ui
