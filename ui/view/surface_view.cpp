#include "view/surface_view.h"

#include "view/mask_surface.h"

#include "segments/segment.h"

#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QOpenGLWidget>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <qopengl.h>

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkNew.h>
#include <vtkOpenGLState.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace medclick::ui {

namespace {
constexpr double kBackground[3] = {0.08, 0.09, 0.11};
constexpr double kSurfaceColour[3] = {1.0, 0.55, 0.15};

QColor backgroundColour() { return QColor::fromRgbF(kBackground[0], kBackground[1], kBackground[2]); }
} // namespace

// One object's surface: a segment's, or (label 0) every labelled voxel's.
struct SurfacePiece {
  Label label = 0;
  vtkSmartPointer<vtkPolyData> polyData = vtkSmartPointer<vtkPolyData>::New();
  VoxelBox objectBox; // the object's voxels lie in it
  std::array<double, 3> colour{kSurfaceColour[0], kSurfaceColour[1], kSurfaceColour[2]};
  double opacity = 1.0;
  bool visible = true;
};

struct SurfaceView::Surface {
  std::vector<SurfacePiece> pieces;
  bool shown = false; // the pieces are the surfaces of the mask last given (else the next update scans it whole)
  std::array<std::size_t, 3> gridSize{0, 0, 0};
};

namespace {
bool overlaps(const VoxelBox& a, const VoxelBox& b) {
  if (a.empty() || b.empty()) return false;
  for (int axis = 0; axis < 3; ++axis)
    if (a.end[axis] <= b.begin[axis] || b.end[axis] <= a.begin[axis]) return false;
  return true;
}
} // namespace

// The VTK scene and the QOpenGLWidget that hosts its render window.
class SurfaceView::Canvas final : public QOpenGLWidget {
public:
  explicit Canvas(QWidget* parent);
  ~Canvas() override;

  void showSurfaces(const std::vector<SurfacePiece>& pieces);
  void forgetCamera() { cameraPlaced_ = false; }

protected:
  void initializeGL() override;
  void resizeGL(int width, int height) override;
  void paintGL() override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;

private:
  void releaseGraphics();
  void syncRenderSize();
  void forwardMouse(QMouseEvent* event, unsigned long vtkEvent);
  void recordInitError(vtkObject*, unsigned long, void* message);

  vtkNew<vtkGenericOpenGLRenderWindow> window_;
  vtkNew<vtkRenderer> renderer_;
  std::vector<vtkSmartPointer<vtkActor>> actors_; // one per drawn piece
  vtkNew<vtkGenericRenderWindowInteractor> interactor_;
  vtkNew<vtkInteractorStyleTrackballCamera> style_;
  bool cameraPlaced_ = false;
  bool graphicsReady_ = false; // VTK's OpenGL state lives in this widget's current context
  QString initError_;
};

SurfaceView::Canvas::Canvas(QWidget* parent) : QOpenGLWidget(parent) {
  setFormat(defaultFormat());
  setFocusPolicy(Qt::StrongFocus);

  // Nothing may render before initializeGL hands VTK a context.
  window_->SetReadyForRendering(false);
  // VTK keeps its frame in its own framebuffer; paintGL blits it into the widget's.
  window_->SetFrameBlitModeToNoBlit();
  window_->AddRenderer(renderer_);

  renderer_->SetBackground(kBackground[0], kBackground[1], kBackground[2]);
  // An opaque background keeps the blitted frame opaque: Qt composes the widget with alpha, and
  // VTK's default background alpha of 0 would let the window behind show through.
  renderer_->SetBackgroundAlpha(1.0);


  // The interactor only turns mouse events into camera moves; its own render calls are switched
  // off because VTK may draw only inside paintGL, where this widget's context is current.
  interactor_->SetRenderWindow(window_);
  interactor_->SetInteractorStyle(style_);
  interactor_->EnableRenderOff();
  interactor_->Initialize();
}

SurfaceView::Canvas::~Canvas() {
  // QOpenGLWidget's destructor destroys the context after this object is gone: release VTK's
  // OpenGL objects now, while it still exists.
  if (QOpenGLContext* glContext = context()) disconnect(glContext, nullptr, this, nullptr);
  releaseGraphics();
}

void SurfaceView::Canvas::showSurfaces(const std::vector<SurfacePiece>& pieces) {
  for (const auto& actor : actors_) renderer_->RemoveActor(actor);
  actors_.clear();
  vtkIdType polygons = 0;
  for (const SurfacePiece& piece : pieces) {
    if (!piece.visible || piece.polyData->GetNumberOfPolys() == 0) continue;
    auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
    mapper->SetInputData(piece.polyData);
    mapper->ScalarVisibilityOff();
    auto actor = vtkSmartPointer<vtkActor>::New();
    actor->SetMapper(mapper);
    actor->GetProperty()->SetColor(piece.colour[0], piece.colour[1], piece.colour[2]);
    actor->GetProperty()->SetOpacity(piece.opacity);
    actor->GetProperty()->SetSpecular(0.2);
    actor->GetProperty()->SetSpecularPower(20.0);
    renderer_->AddActor(actor);
    actors_.push_back(actor);
    polygons += piece.polyData->GetNumberOfPolys();
  }
  if (!cameraPlaced_ && polygons > 0) {
    // Anterior view with superior up: in LPS the camera stands on -y and looks toward +y, so the
    // patient's left (+x) is on the screen's right, as in a radiological coronal slice.
    vtkCamera* camera = renderer_->GetActiveCamera();
    camera->SetFocalPoint(0.0, 0.0, 0.0);
    camera->SetPosition(0.0, -1.0, 0.0);
    camera->SetViewUp(0.0, 0.0, 1.0);
    renderer_->ResetCamera(); // keeps the direction, fits the surface's bounds
    cameraPlaced_ = true;
  }
  update();
}

void SurfaceView::Canvas::initializeGL() {
  // A new context (first show, or the view moved to another top-level window): VTK's objects from
  // any previous context were released when that one was about to be destroyed.
  connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, &Canvas::releaseGraphics,
          static_cast<Qt::ConnectionType>(Qt::DirectConnection | Qt::UniqueConnection));
  window_->SetOwnContext(false); // Qt created the context and will destroy it
  // VTK reports a context it cannot use (e.g. Debian's GLEW is built for GLX and fails on an EGL
  // context) as an error event; the view then shows its background instead of a broken frame.
  initError_.clear();
  const unsigned long observer = window_->AddObserver(vtkCommand::ErrorEvent, this, &Canvas::recordInitError);
  window_->SetIsCurrent(true);
  window_->OpenGLInitContext(); // loads the OpenGL entry points, checks the version
  window_->SetIsCurrent(false);
  window_->RemoveObserver(observer);
  if (!initError_.isEmpty()) {
    qWarning("SurfaceView: VTK cannot draw with this OpenGL context: %s", qPrintable(initError_));
    return;
  }
  window_->SetReadyForRendering(true);
  graphicsReady_ = true;
  syncRenderSize();
}

void SurfaceView::Canvas::recordInitError(vtkObject*, unsigned long, void* message) {
  initError_ += QString::fromUtf8(static_cast<const char*>(message)).trimmed();
}

void SurfaceView::Canvas::resizeGL(int, int) { syncRenderSize(); }

void SurfaceView::Canvas::syncRenderSize() {
  // VTK counts device pixels; Qt's widget size is in device-independent ones.
  const qreal ratio = devicePixelRatioF();
  interactor_->UpdateSize(static_cast<int>(std::lround(width() * ratio)),
                          static_cast<int>(std::lround(height() * ratio))); // resizes the window too
}

void SurfaceView::Canvas::paintGL() {
  if (!graphicsReady_) {
    QOpenGLFunctions* gl = context()->functions();
    gl->glClearColor(float(kBackground[0]), float(kBackground[1]), float(kBackground[2]), 1.0f);
    gl->glClear(GL_COLOR_BUFFER_BIT);
    return;
  }
  syncRenderSize();
  vtkOpenGLState* state = window_->GetState();
  // Qt changed OpenGL state behind VTK's cache since the last frame: re-read it, and give Qt its
  // state back afterwards. VTK expects GL_LEQUAL where Qt leaves GL_LESS.
  state->Reset();
  state->Push();
  state->vtkglDepthFunc(GL_LEQUAL);
  window_->SetIsCurrent(true);
  window_->Render();

  state->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
  state->vtkglDrawBuffer(GL_COLOR_ATTACHMENT0);
  const int* size = window_->GetSize();
  window_->BlitDisplayFramebuffer(0, 0, 0, size[0], size[1], 0, 0, size[0], size[1], GL_COLOR_BUFFER_BIT,
                                  GL_NEAREST);
  window_->SetIsCurrent(false);
  state->Pop();
}

void SurfaceView::Canvas::releaseGraphics() {
  if (!graphicsReady_) return;
  makeCurrent();
  window_->SetIsCurrent(true);
  window_->Finalize(); // frees VTK's buffers, shaders and textures in this context
  window_->SetIsCurrent(false);
  window_->SetReadyForRendering(false);
  graphicsReady_ = false;
  doneCurrent();
}

void SurfaceView::Canvas::forwardMouse(QMouseEvent* event, unsigned long vtkEvent) {
  // Before VTK has a context there is no render size for the camera style to work in.
  if (!graphicsReady_) return;
  const QPointF position = event->position() * devicePixelRatioF();
  const Qt::KeyboardModifiers modifiers = event->modifiers();
  interactor_->SetEventInformationFlipY(static_cast<int>(position.x()), static_cast<int>(position.y()),
                                        modifiers.testFlag(Qt::ControlModifier),
                                        modifiers.testFlag(Qt::ShiftModifier));
  interactor_->InvokeEvent(vtkEvent, nullptr);
  event->accept();
  update();
}

void SurfaceView::Canvas::mousePressEvent(QMouseEvent* event) {
  switch (event->button()) {
  case Qt::LeftButton: forwardMouse(event, vtkCommand::LeftButtonPressEvent); break;
  case Qt::MiddleButton: forwardMouse(event, vtkCommand::MiddleButtonPressEvent); break;
  case Qt::RightButton: forwardMouse(event, vtkCommand::RightButtonPressEvent); break;
  default: QOpenGLWidget::mousePressEvent(event);
  }
}

void SurfaceView::Canvas::mouseReleaseEvent(QMouseEvent* event) {
  switch (event->button()) {
  case Qt::LeftButton: forwardMouse(event, vtkCommand::LeftButtonReleaseEvent); break;
  case Qt::MiddleButton: forwardMouse(event, vtkCommand::MiddleButtonReleaseEvent); break;
  case Qt::RightButton: forwardMouse(event, vtkCommand::RightButtonReleaseEvent); break;
  default: QOpenGLWidget::mouseReleaseEvent(event);
  }
}

void SurfaceView::Canvas::mouseMoveEvent(QMouseEvent* event) { forwardMouse(event, vtkCommand::MouseMoveEvent); }

void SurfaceView::Canvas::wheelEvent(QWheelEvent* event) {
  const int angle = event->angleDelta().y();
  if (angle == 0 || !graphicsReady_) {
    QOpenGLWidget::wheelEvent(event);
    return;
  }
  const QPointF position = event->position() * devicePixelRatioF();
  interactor_->SetEventInformationFlipY(static_cast<int>(position.x()), static_cast<int>(position.y()));
  interactor_->InvokeEvent(angle > 0 ? vtkCommand::MouseWheelForwardEvent : vtkCommand::MouseWheelBackwardEvent,
                           nullptr);
  event->accept();
  update();
}

SurfaceView::SurfaceView(QWidget* parent) : QWidget(parent), surface_(std::make_unique<Surface>()) {
  setMinimumSize(64, 64);
  QPalette dark = palette();
  dark.setColor(QPalette::Window, backgroundColour());
  setPalette(dark);
  setAutoFillBackground(true);
  if (!openGLAvailable()) return;
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  canvas_ = new Canvas(this);
  canvas_->showSurfaces(surface_->pieces);
  layout->addWidget(canvas_);
  setFocusProxy(canvas_);
}

SurfaceView::~SurfaceView() = default;

QSurfaceFormat SurfaceView::defaultFormat() {
  QSurfaceFormat format;
  format.setRenderableType(QSurfaceFormat::OpenGL);
  format.setVersion(3, 2); // VTK's OpenGL2 backend needs 3.2 core
  format.setProfile(QSurfaceFormat::CoreProfile);
  format.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
  format.setRedBufferSize(8);
  format.setGreenBufferSize(8);
  format.setBlueBufferSize(8);
  format.setAlphaBufferSize(8);
  format.setDepthBufferSize(24);
  format.setStencilBufferSize(0);
  format.setSamples(0); // VTK multisamples in its own framebuffer when it wants to
  return format;
}

bool SurfaceView::openGLAvailable() {
  static const bool available = [] {
    QOpenGLContext probe;
    probe.setFormat(defaultFormat());
    if (!probe.create()) return false;
    const QSurfaceFormat got = probe.format();
    return std::make_pair(got.majorVersion(), got.minorVersion()) >= std::make_pair(3, 2);
  }();
  return available;
}

void SurfaceView::setMask(const LabelMask& mask, const ImageGeometry& geometry, const std::vector<Segment>& segments) {
  surface_->shown = false;
  updateMask(mask, geometry, VoxelBox::whole(mask.geometry().size), segments);
}

bool SurfaceView::updateMask(const LabelMask& mask, const ImageGeometry& geometry, const VoxelBox& changed,
                             const std::vector<Segment>& segments) {
  if (mask.geometry().size != geometry.size) extractMaskSurface(mask, geometry, VoxelBox{}); // throws: nothing changes
  const bool known = surface_->shown && surface_->gridSize == mask.geometry().size;
  const VoxelBox whole = VoxelBox::whole(mask.geometry().size);
  // The pieces wanted, in the segments' order, with their looks; no segments: one piece of everything.
  std::vector<SurfacePiece> pieces;
  if (segments.empty()) pieces.emplace_back();
  for (const Segment& segment : segments) {
    SurfacePiece piece;
    piece.label = segment.label;
    piece.colour = {segment.colour[0] / 255.0, segment.colour[1] / 255.0, segment.colour[2] / 255.0};
    piece.opacity = segment.opacity;
    piece.visible = segment.meshVisible;
    pieces.push_back(piece);
  }
  bool rebuilt = false;
  for (SurfacePiece& piece : pieces) {
    const auto old = std::find_if(surface_->pieces.begin(), surface_->pieces.end(), [&](const SurfacePiece& p) { return p.label == piece.label; });
    const bool had = known && old != surface_->pieces.end();
    if (had) {
      piece.polyData = old->polyData;
      piece.objectBox = old->objectBox;
      if (changed.empty()) continue; // the same voxels: the surface stands
    }
    // Outside its old box and the changed one the object is what it was: absent.
    const VoxelBox search = had ? old->objectBox.united(changed) : whole;
    const VoxelBox box = nonZeroBox(mask, search, piece.label);
    if (had && !overlaps(old->objectBox.united(box), changed)) continue; // the change did not reach it
    piece.polyData = extractMaskSurface(mask, geometry, box, piece.label);
    piece.objectBox = box;
    rebuilt = true;
  }
  const bool looksChanged = pieces.size() != surface_->pieces.size() ||
                            !std::equal(pieces.begin(), pieces.end(), surface_->pieces.begin(), [](const SurfacePiece& a, const SurfacePiece& b) {
                              return a.label == b.label && a.colour == b.colour && a.opacity == b.opacity && a.visible == b.visible;
                            });
  surface_->pieces = std::move(pieces);
  surface_->gridSize = mask.geometry().size;
  surface_->shown = true;
  if (canvas_ && (rebuilt || looksChanged || !known)) canvas_->showSurfaces(surface_->pieces);
  return rebuilt;
}

void SurfaceView::clear() {
  surface_->pieces.clear();
  surface_->shown = false;
  if (canvas_) {
    canvas_->forgetCamera();
    canvas_->showSurfaces(surface_->pieces);
  }
}

int SurfaceView::surfaceTriangleCount() const {
  vtkIdType triangles = 0;
  for (const SurfacePiece& piece : surface_->pieces)
    if (piece.visible) triangles += piece.polyData->GetNumberOfPolys();
  return static_cast<int>(triangles);
}

int SurfaceView::surfaceCount() const {
  return static_cast<int>(std::count_if(surface_->pieces.begin(), surface_->pieces.end(),
                                        [](const SurfacePiece& p) { return p.visible && p.polyData->GetNumberOfPolys() > 0; }));
}

} // namespace medclick::ui
