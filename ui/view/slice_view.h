#pragma once
// A widget that shows one rendered slice, scaled to fit with its aspect ratio, and turns the
// clinician's mouse into slice pixel positions: left click = positive, right click or Shift+left =
// negative; the wheel asks for the next or previous slice. It holds no model: the main window
// connects its signals to the session's worker.

#include <QImage>
#include <QWidget>

namespace medclick::ui {

class SliceView : public QWidget {
  Q_OBJECT

public:
  explicit SliceView(QWidget* parent = nullptr);
  void setPicture(const QImage& picture, double pixelAspect = 1.0); // pixelAspect: row spacing / column spacing
  const QImage& picture() const { return picture_; }
  // Slice pixel under a widget position, or (-1, -1) outside the picture.
  QPointF slicePosition(const QPointF& widgetPosition) const;

signals:
  void clicked(double x, double y, bool positive);
  void sliceStepRequested(int step);

protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;

private:
  QRectF pictureRect() const;
  QImage picture_;
  double pixelAspect_ = 1.0;
};

} // namespace medclick::ui
