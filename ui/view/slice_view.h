#pragma once
// A widget that shows one rendered slice and turns the clinician's mouse into slice pixel positions,
// with the habits of ITK-SNAP and Slicer: left click = positive click, right click or Shift+left =
// negative; the wheel, Page Up/Down and the arrow keys step through slices; Ctrl+wheel zooms about
// the cursor; middle drag pans; right drag sets window/level; in brush or eraser mode left drag
// paints. It draws the click markers (green/red) and the cross-hairs it is given. It holds no model:
// the main window connects its signals to the session controller.

#include "engine/click.h"

#include <QImage>
#include <QWidget>

#include <optional>

namespace medclick::ui {

enum class ViewTool { Click, Brush, Eraser, Navigate };

class SliceView : public QWidget {
  Q_OBJECT

public:
  explicit SliceView(QWidget* parent = nullptr);
  void setPicture(const QImage& picture, double pixelAspect = 1.0); // pixelAspect: row spacing / column spacing
  const QImage& picture() const { return picture_; }
  void setMarkers(const ClickList& clicks);
  void setCrosshair(std::optional<QPointF> slicePixel);
  void setTool(ViewTool tool) { tool_ = tool; }
  void setBrushRadius(double pixels) { brushRadius_ = pixels; }
  void setTitle(const QString& title) { title_ = title; update(); }
  // Shows the slice upside down (rows bottom to top) while positions stay in slice pixels: coronal and
  // sagittal slices are shown with the patient's head up, as radiologists expect.
  void setFlipVertical(bool flip);
  double zoom() const { return zoom_; }
  void resetZoom();

  // Slice pixel under a widget position, or (-1, -1) outside the picture.
  QPointF slicePosition(const QPointF& widgetPosition) const;
  // Widget position of a slice pixel's centre (the inverse).
  QPointF widgetPosition(const QPointF& slicePixel) const;

signals:
  void clicked(double x, double y, bool positive);
  void brushed(double x, double y, bool object);   // one dab of a brush or eraser stroke
  void crosshairRequested(double x, double y);     // Navigate tool, or Ctrl+left click
  void hovered(double x, double y);                // (-1, -1) when the cursor leaves the picture
  void sliceStepRequested(int step);
  void windowLevelDragged(double dx, double dy);   // widget pixels since the last report

protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void leaveEvent(QEvent* event) override;

private:
  QRectF pictureRect() const;
  QImage picture_; // as given, in slice rows
  QImage shown_;   // as drawn (flipped or not)
  bool flipVertical_ = false;
  double pixelAspect_ = 1.0;
  double zoom_ = 1.0;  // 1: the whole slice fits the widget
  QPointF pan_;        // widget pixels
  ClickList markers_;
  std::optional<QPointF> crosshair_;
  ViewTool tool_ = ViewTool::Click;
  double brushRadius_ = 5.0;
  QString title_;
  QPointF cursor_{-1, -1};

  Qt::MouseButton dragButton_ = Qt::NoButton;
  QPointF pressPosition_, lastPosition_;
  bool dragged_ = false;
};

} // namespace medclick::ui
