// The 3D surface view draws the mask in orange on a dark background and moves its camera with the
// mouse (run under Xvfb with Mesa's software OpenGL); without OpenGL (the offscreen platform) it
// shows only its background, keeps the surface, and the window holding it is drawn without a crash.

#include "engine/voxel_box.h"
#include "view/surface_view.h"

#include "image/image_geometry.h"
#include "image/label_mask.h"
#include "segments/segment.h"

#include <QDir>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLWidget>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace medclick;
using namespace medclick::ui;

namespace {

// ctest says which kind of platform each registration runs on, so that a missing OpenGL under Xvfb
// fails instead of skipping; run by hand, the platform decides.
bool openGLExpected() {
  const QByteArray expected = qgetenv("MEDCLICK_EXPECT_OPENGL");
  if (!expected.isEmpty()) return expected == "1";
  QOpenGLContext probe;
  return probe.create();
}

// A rod along x (the patient's left-right), radius 4 mm, 40 mm long, on a 1 mm grid.
LabelMask rodMask(ImageGeometry& geometry) {
  geometry = ImageGeometry{};
  geometry.size = {56, 24, 24};
  geometry.origin = {-28.0, -12.0, -12.0};
  LabelMask mask(geometry);
  std::size_t index = 0;
  for (std::size_t k = 0; k < geometry.size[2]; ++k)
    for (std::size_t j = 0; j < geometry.size[1]; ++j)
      for (std::size_t i = 0; i < geometry.size[0]; ++i, ++index) {
        const auto p = geometry.indexToPhysical({double(i), double(j), double(k)});
        if (std::abs(p[0]) <= 20.0 && std::hypot(p[1], p[2]) <= 4.0) mask.labels()[index] = 1;
      }
  return mask;
}

bool isSurfaceColour(QRgb pixel) {
  const QColor colour(pixel);
  const int hue = colour.hsvHue();
  return hue >= 12 && hue <= 45 && colour.hsvSaturation() > 120 && colour.value() > 60;
}

// Width in pixels of the orange region, and how many orange pixels there are.
struct Footprint {
  int width = 0;
  int pixels = 0;
};

Footprint footprint(const QImage& image) {
  int left = image.width(), right = -1;
  Footprint result;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x)
      if (isSurfaceColour(image.pixel(x, y))) {
        ++result.pixels;
        left = std::min(left, x);
        right = std::max(right, x);
      }
  result.width = right >= left ? right - left + 1 : 0;
  return result;
}

// The OpenGL canvas inside the view: it receives the mouse, as it lies under the cursor.
QOpenGLWidget* canvasOf(SurfaceView& view) { return view.findChild<QOpenGLWidget*>(); }

// Shows the rod, fitted, in a 320x240 view and waits until it is on screen.
bool showRod(SurfaceView& view) {
  ImageGeometry geometry;
  const LabelMask mask = rodMask(geometry);
  view.resize(320, 240);
  view.setMask(mask, geometry);
  view.show();
  return QTest::qWaitForWindowExposed(&view) && canvasOf(view) && canvasOf(view)->isValid();
}

void sendMouse(QWidget* widget, QEvent::Type type, QPointF position, Qt::MouseButton button,
               Qt::MouseButtons buttons) {
  QMouseEvent event(type, position, widget->mapToGlobal(position), button, buttons, Qt::NoModifier);
  QCoreApplication::sendEvent(widget, &event);
}

void sendWheel(QWidget* widget, QPointF position, int angle) {
  QWheelEvent event(position, widget->mapToGlobal(position), QPoint(), QPoint(0, angle), Qt::NoButton,
                    Qt::NoModifier, Qt::NoScrollPhase, false);
  QCoreApplication::sendEvent(widget, &event);
}

} // namespace

class SurfaceViewTest : public QObject {
  Q_OBJECT

private slots:
  void rod_is_drawn_in_orange_on_a_dark_background() {
    if (!openGLExpected()) QSKIP("no OpenGL on this platform (the Xvfb registration runs this case)");
    QVERIFY(SurfaceView::openGLAvailable());
    SurfaceView view;
    QVERIFY2(showRod(view), "the surface view got no OpenGL context");

    const QImage frame = canvasOf(view)->grabFramebuffer();
    const QString path = QDir::current().absoluteFilePath("surface_view_rod.png");
    QVERIFY(frame.save(path));
    qInfo("screenshot: %s", qPrintable(path));

    QVERIFY(view.surfaceTriangleCount() > 0);
    const QRgb centre = frame.pixel(frame.width() / 2, frame.height() / 2);
    QVERIFY2(isSurfaceColour(centre), qPrintable(QColor(centre).name()));
    const QColor corner(frame.pixel(2, 2));
    QVERIFY2(corner.value() < 40, qPrintable(corner.name())); // the dark background
    // Seen from the front, the 40 mm rod lies across the screen, fitted to the view.
    const Footprint seen = footprint(frame);
    QVERIFY2(seen.width > frame.width() / 2, qPrintable(QString("rod %1 px wide").arg(seen.width)));
  }

  void wheel_forward_zooms_in() {
    if (!openGLExpected()) QSKIP("no OpenGL on this platform (the Xvfb registration runs this case)");
    SurfaceView view;
    QVERIFY2(showRod(view), "the surface view got no OpenGL context");
    QOpenGLWidget* canvas = canvasOf(view);
    const Footprint before = footprint(canvas->grabFramebuffer());
    for (int notch = 0; notch < 3; ++notch) sendWheel(canvas, QPointF(160, 120), 120);
    const Footprint after = footprint(canvas->grabFramebuffer());
    QVERIFY2(after.pixels > before.pixels * 1.2,
             qPrintable(QString("%1 orange pixels before, %2 after").arg(before.pixels).arg(after.pixels)));
  }

  void left_drag_turns_the_rod_end_on() {
    if (!openGLExpected()) QSKIP("no OpenGL on this platform (the Xvfb registration runs this case)");
    SurfaceView view;
    QVERIFY2(showRod(view), "the surface view got no OpenGL context");
    QOpenGLWidget* canvas = canvasOf(view);
    const Footprint before = footprint(canvas->grabFramebuffer());
    // VTK's trackball turns the camera 200 degrees per widget width dragged: 0.45 of it is about a
    // quarter turn about the vertical axis, which shows the rod along its axis.
    const QPointF start(70, 120), end(70 + 0.45 * 320, 120);
    sendMouse(canvas, QEvent::MouseButtonPress, start, Qt::LeftButton, Qt::LeftButton);
    sendMouse(canvas, QEvent::MouseMove, end, Qt::NoButton, Qt::LeftButton);
    sendMouse(canvas, QEvent::MouseButtonRelease, end, Qt::LeftButton, Qt::NoButton);
    const QImage turned = canvas->grabFramebuffer();
    turned.save(QDir::current().absoluteFilePath("surface_view_rod_turned.png"));
    const Footprint after = footprint(turned);
    QVERIFY2(after.pixels > 0, "the rod left the view");
    QVERIFY2(after.width < before.width / 2,
             qPrintable(QString("rod %1 px wide before, %2 after").arg(before.width).arg(after.width)));
  }

  void next_mask_keeps_the_camera_and_clear_empties_the_view() {
    if (!openGLExpected()) QSKIP("no OpenGL on this platform (the Xvfb registration runs this case)");
    SurfaceView view;
    QVERIFY2(showRod(view), "the surface view got no OpenGL context");
    QOpenGLWidget* canvas = canvasOf(view);
    for (int notch = 0; notch < 3; ++notch) sendWheel(canvas, QPointF(160, 120), 120);
    const Footprint zoomed = footprint(canvas->grabFramebuffer());
    ImageGeometry geometry;
    const LabelMask mask = rodMask(geometry);
    view.setMask(mask, geometry); // the next refinement: the clinician's zoom stays
    QCOMPARE(footprint(canvas->grabFramebuffer()).pixels, zoomed.pixels);

    view.clear();
    QCOMPARE(view.surfaceTriangleCount(), 0);
    QCOMPARE(footprint(canvas->grabFramebuffer()).pixels, 0);
  }

  void a_changed_box_updates_the_surface_and_an_empty_one_keeps_it() {
    SurfaceView view;
    ImageGeometry geometry;
    LabelMask mask = rodMask(geometry);
    view.setMask(mask, geometry);
    const int rod = view.surfaceTriangleCount();
    QVERIFY(rod > 0);
    QVERIFY(!view.updateMask(mask, geometry, VoxelBox{})); // only clicks changed: nothing is rebuilt
    QCOMPARE(view.surfaceTriangleCount(), rod);
    // Erase the rod in the box that held it: the surface is gone without a scan of the volume.
    const VoxelBox whole = VoxelBox::whole(geometry.size);
    std::fill(mask.labels().begin(), mask.labels().end(), 0);
    QVERIFY(view.updateMask(mask, geometry, whole));
    QCOMPARE(view.surfaceTriangleCount(), 0);
    // A cube set in a small box appears from that box alone.
    const VoxelBox cube{{2, 2, 2}, {6, 6, 6}};
    for (std::size_t k = 2; k < 6; ++k)
      for (std::size_t j = 2; j < 6; ++j)
        for (std::size_t i = 2; i < 6; ++i) mask.labels()[(k * geometry.size[1] + j) * geometry.size[0] + i] = 1;
    QVERIFY(view.updateMask(mask, geometry, cube));
    QVERIFY(view.surfaceTriangleCount() > 0);
    SurfaceView fresh;
    fresh.setMask(mask, geometry);
    QCOMPARE(view.surfaceTriangleCount(), fresh.surfaceTriangleCount());
  }

  void each_segment_has_its_surface_and_a_change_rebuilds_only_what_it_reaches() {
    SurfaceView view;
    ImageGeometry geometry;
    LabelMask mask = rodMask(geometry);
    // A second segment: a cube far from the rod.
    const VoxelBox cube{{2, 2, 2}, {6, 6, 6}};
    for (std::size_t k = 2; k < 6; ++k)
      for (std::size_t j = 2; j < 6; ++j)
        for (std::size_t i = 2; i < 6; ++i) mask.labels()[(k * geometry.size[1] + j) * geometry.size[0] + i] = 2;
    Segment rod, box;
    rod.label = 1;
    box.label = 2;
    box.colour = {0, 0, 255};
    view.setMask(mask, geometry, {rod, box});
    QCOMPARE(view.surfaceCount(), 2);
    const int both = view.surfaceTriangleCount();
    SurfaceView rodOnly;
    LabelMask justRod = mask;
    for (Label& v : justRod.labels()) v = v == 1 ? 1 : 0;
    rodOnly.setMask(justRod, geometry);
    QVERIFY(both > rodOnly.surfaceTriangleCount());
    // Hiding the cube's mesh draws the rod alone, without rebuilding anything.
    box.meshVisible = false;
    QVERIFY(!view.updateMask(mask, geometry, VoxelBox{}, {rod, box}));
    QCOMPARE(view.surfaceCount(), 1);
    QCOMPARE(view.surfaceTriangleCount(), rodOnly.surfaceTriangleCount());
    box.meshVisible = true;
    // A change in a box neither object reaches rebuilds nothing; one in the cube's box rebuilds it.
    QVERIFY(!view.updateMask(mask, geometry, VoxelBox{{40, 20, 20}, {42, 22, 22}}, {rod, box}));
    for (std::size_t i = 2; i < 6; ++i) mask.labels()[(2 * geometry.size[1] + 2) * geometry.size[0] + i] = 0;
    QVERIFY(view.updateMask(mask, geometry, cube, {rod, box}));
    QCOMPARE(view.surfaceCount(), 2);
    SurfaceView fresh;
    fresh.setMask(mask, geometry, {rod, box});
    QCOMPARE(view.surfaceTriangleCount(), fresh.surfaceTriangleCount());
  }

  void without_opengl_the_view_shows_only_background_and_keeps_the_surface() {
    if (openGLExpected()) QSKIP("this platform has OpenGL (the offscreen registration runs this case)");
    QVERIFY(!SurfaceView::openGLAvailable());
    // Inside a window, as in the main window: Qt 6.4 would crash composing it around a QOpenGLWidget.
    QWidget window;
    auto* layout = new QVBoxLayout(&window);
    auto* view = new SurfaceView;
    layout->addWidget(view);
    ImageGeometry geometry;
    view->setMask(rodMask(geometry), geometry);
    window.resize(320, 240);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(canvasOf(*view), nullptr);
    QVERIFY(view->surfaceTriangleCount() > 0);

    const QImage shown = view->grab().toImage();
    QCOMPARE(footprint(shown).pixels, 0);
    const QColor centre(shown.pixel(shown.width() / 2, shown.height() / 2));
    QVERIFY2(centre.value() < 40, qPrintable(centre.name()));
    QTest::mouseClick(view, Qt::LeftButton, Qt::NoModifier, QPoint(10, 10));
    view->clear();
    QCOMPARE(view->surfaceTriangleCount(), 0);
  }
};

QTEST_MAIN(SurfaceViewTest)
#include "surface_view_test.moc"
