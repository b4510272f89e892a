// The slice picture (window/level, mask overlay, orientation) and the view's mouse mapping, under
// QT_QPA_PLATFORM=offscreen.

#include "view/slice_renderer.h"
#include "view/slice_view.h"

#include <QSignalSpy>
#include <QtTest>

using namespace medclick;
using namespace medclick::ui;

class SliceViewTest : public QObject {
  Q_OBJECT

private slots:
  void window_level_maps_intensities_to_grey() {
    Image image(ImageGeometry{2, {3, 1, 1}}, 1, PixelType::Int16);
    image.voxels() = {-100.0f, 50.0f, 400.0f};
    const QImage picture = renderSlice(image, {}, WindowLevel{200.0, 50.0}); // shows -50..150
    QCOMPARE(qGray(picture.pixel(0, 0)), 0);
    QCOMPARE(qGray(picture.pixel(1, 0)), 128);
    QCOMPARE(qGray(picture.pixel(2, 0)), 255);
    const auto full = WindowLevel::fullRange(image);
    QCOMPARE(full.window, 500.0);
    QCOMPARE(full.level, 150.0);
  }

  void mask_is_blended_and_outlined() {
    Image image(ImageGeometry{2, {5, 5, 1}}, 1, PixelType::UInt8); // all zero: black
    LabelMask mask(image.geometry());
    for (int y = 1; y < 4; ++y)
      for (int x = 1; x < 4; ++x) mask.labels()[static_cast<size_t>(y) * 5 + x] = 1;
    OverlayStyle style{QColor(200, 100, 0), 0.5, false};
    const QImage blended = renderSlice(image, {}, WindowLevel{1, 0.5}, &mask, style);
    QCOMPARE(QColor(blended.pixel(2, 2)), QColor(100, 50, 0));
    QCOMPARE(QColor(blended.pixel(0, 0)), QColor(0, 0, 0));
    style.outlineOnly = true;
    const QImage outline = renderSlice(image, {}, WindowLevel{1, 0.5}, &mask, style);
    QCOMPARE(QColor(outline.pixel(1, 1)), QColor(200, 100, 0)); // edge of the mask
    QCOMPARE(QColor(outline.pixel(2, 2)), QColor(0, 0, 0));     // inside: not drawn
  }

  void coronal_slice_of_a_volume_has_x_by_z_pixels() {
    Image volume(ImageGeometry{3, {4, 3, 2}}, 1, PixelType::UInt8);
    for (size_t i = 0; i < volume.voxels().size(); ++i) volume.voxels()[i] = static_cast<float>(i);
    const QImage coronal = renderSlice(volume, {SliceAxis::Coronal, 1}, WindowLevel{23, 11.5});
    QCOMPARE(coronal.size(), QSize(4, 2));
    // pixel (x = 3, row k = 1) is voxel (3, 1, 1) = 1·12 + 1·4 + 3 = 19
    QCOMPARE(qGray(coronal.pixel(3, 1)), static_cast<int>(19.0 / 23.0 * 255.0 + 0.5));
  }

  void clicks_map_to_slice_pixels_with_their_label() {
    SliceView view;
    view.resize(200, 100);
    view.setPicture(QImage(100, 50, QImage::Format_RGB32)); // fills the widget at scale 2
    QSignalSpy spy(&view, &SliceView::clicked);
    QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, QPoint(21, 41));
    QTest::mouseClick(&view, Qt::RightButton, Qt::NoModifier, QPoint(101, 11));
    QTest::mouseClick(&view, Qt::LeftButton, Qt::ShiftModifier, QPoint(1, 1));
    QCOMPARE(spy.count(), 3);
    QCOMPARE(spy[0][0].toDouble(), 10.0);
    QCOMPARE(spy[0][1].toDouble(), 20.0);
    QCOMPARE(spy[0][2].toBool(), true);
    QCOMPARE(spy[1][2].toBool(), false);
    QCOMPARE(spy[2][2].toBool(), false);
    QCOMPARE(view.slicePosition(QPointF(-5, 10)).x(), -1.0);
  }
};

QTEST_MAIN(SliceViewTest)
#include "slice_view_test.moc"
