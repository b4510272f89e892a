#pragma once
// The image views of the main window: one view for a 2D image; for a volume three orthogonal views
// (axial, coronal, sagittal) with linked cross-hairs, as in ITK-SNAP and Slicer, and a fourth cell
// for the 3D surface. It owns the cursor (the voxel the cross-hairs meet at), the window/level and
// the overlay style, renders each view from the image and the latest session snapshot, and turns the
// views' signals into slice-addressed requests for the main window. No model math.

#include "image/image.h"
#include "model/session_snapshot.h"
#include "view/slice_renderer.h"
#include "view/slice_view.h"

#include <QWidget>

#include <array>
#include <memory>
#include <optional>
#include <vector>

class QGridLayout;

namespace medclick::ui {

class OrthoViewer : public QWidget {
  Q_OBJECT

public:
  explicit OrthoViewer(QWidget* parent = nullptr);

  void setImage(std::shared_ptr<const Image> image); // views, cursor at the centre, full-range window
  void setSnapshot(SnapshotPtr snapshot);            // redraws mask and markers
  void setWindowLevel(const WindowLevel& windowLevel);
  const WindowLevel& windowLevel() const { return windowLevel_; }
  void setOverlayStyle(const OverlayStyle& style);
  const OverlayStyle& overlayStyle() const { return style_; }
  void setTool(ViewTool tool);
  void setBrushRadius(double pixels);
  // The 3D cell (a surface view) for volumes; the viewer takes ownership. Hidden for 2D images.
  void setSurfaceWidget(QWidget* widget);

  bool isVolume() const;
  const std::array<std::size_t, 3>& cursor() const { return cursor_; }
  void setCursor(const std::array<std::size_t, 3>& voxel);
  // The slice of the view last used (clicked, scrolled, hovered): what "propagate", "clear slice"
  // and "fill holes" act on.
  SliceRef currentSlice() const;
  void setActiveAxis(SliceAxis axis) { activeAxis_ = axis; }
  SliceView* view(SliceAxis axis) const; // nullptr when that view is not shown
  void resetZoom();

signals:
  void clickRequested(medclick::SliceRef slice, double x, double y, bool positive);
  void brushRequested(medclick::SliceRef slice, double x, double y, bool object);
  // The voxel under the mouse, or nothing when it left the image.
  void voxelHovered(std::optional<std::array<std::size_t, 3>> voxel);
  void cursorChanged(std::array<std::size_t, 3> voxel);

private:
  void rebuildViews();
  void refresh();
  void refreshView(SliceAxis axis);
  std::array<std::size_t, 3> voxelOf(SliceAxis axis, double x, double y) const;
  SliceRef sliceOf(SliceAxis axis) const { return {axis, cursor_[static_cast<int>(axis)]}; }

  QGridLayout* grid_;
  std::array<SliceView*, 3> views_{}; // by SliceAxis
  QWidget* surface_ = nullptr;
  std::shared_ptr<const Image> image_;
  SnapshotPtr snapshot_;
  WindowLevel windowLevel_;
  OverlayStyle style_;
  std::array<std::size_t, 3> cursor_{0, 0, 0};
  SliceAxis activeAxis_ = SliceAxis::Axial;
};

} // namespace medclick::ui
