#pragma once
// The mask's 3D surfaces (view/mask_surface.h), one per segment in its colour (or, given no segments,
// one orange object of every labelled voxel) on a dark background, that the clinician turns with the
// mouse: left drag rotates, right drag or the wheel zooms, middle drag pans
// (VTK's trackball camera).
//
// VTK draws it, but VTK's own Qt widgets are built for Qt 5, so a Qt 6 QOpenGLWidget inside this
// view hosts a vtkGenericOpenGLRenderWindow the way VTK's QVTKOpenGLNativeWidget does: VTK renders
// into its own framebuffer inside paintGL, then blits it into the widget's.
//
// That QOpenGLWidget exists only where the platform gives OpenGL 3.2: Qt 6.4 crashes when it
// composes a window holding a QOpenGLWidget on a platform without OpenGL (the offscreen one used by
// the tests), even a hidden one. Without it the view is plain background and still holds the
// surface. No VTK type appears here, so including this header needs no VTK include path.
//
// VTK needs an OpenGL 3.2 core context: the view asks for one itself; an application may also set
// defaultFormat() with QSurfaceFormat::setDefaultFormat before creating its QApplication, so that
// every context in the window shares that profile.

#include "segments/segment.h"

#include <QSurfaceFormat>
#include <QWidget>

#include <memory>
#include <vector>

namespace medclick {
class LabelMask;
struct ImageGeometry;
struct VoxelBox;
} // namespace medclick

namespace medclick::ui {

class SurfaceView : public QWidget {
  Q_OBJECT

public:
  explicit SurfaceView(QWidget* parent = nullptr);
  ~SurfaceView() override;

  static QSurfaceFormat defaultFormat();
  // Whether this platform can create the OpenGL 3.2 context VTK needs (probed once per process).
  static bool openGLAvailable();

  // Replaces the surface (extracted on the calling thread). The first non-empty surface after
  // construction or clear() places the camera in front of the patient (anterior view, superior up)
  // at a distance that shows it whole; later masks keep the clinician's camera.
  // `segments`: each gets its own surface in its colour and opacity, drawn while its mesh is visible.
  void setMask(const LabelMask& mask, const ImageGeometry& geometry, const std::vector<Segment>& segments = {});
  // The same mask after operations that changed only `changed` (the snapshots' boxes, united): each
  // object's box is searched in its old box and the changed one, not in the whole volume, only the
  // objects the change reaches are rebuilt, and an empty box (only clicks or the segments' looks
  // changed) keeps the surfaces. Returns whether a surface was rebuilt.
  bool updateMask(const LabelMask& mask, const ImageGeometry& geometry, const VoxelBox& changed,
                  const std::vector<Segment>& segments = {});
  void clear();
  int surfaceTriangleCount() const; // of the surfaces drawn
  int surfaceCount() const;         // surfaces drawn (segments with voxels and a visible mesh)

private:
  class Canvas;
  struct Surface;
  std::unique_ptr<Surface> surface_;
  Canvas* canvas_ = nullptr; // child widget; null without OpenGL
};

} // namespace medclick::ui
