// The status bar's voxel readout: index, physical position through spacing, origin and direction,
// the intensity (three values for RGB), and nothing once the mouse leaves the image.

#include "view/cursor_readout.h"

#include <QtTest>

using namespace medclick;
using namespace medclick::ui;

class CursorReadoutTest : public QObject {
  Q_OBJECT

private slots:
  void it_shows_the_voxel_position_in_mm_and_its_value() {
    ImageGeometry g;
    g.dimension = 3;
    g.size = {4, 3, 2};
    g.spacing = {0.5, 2.0, 3.0};
    g.origin = {10.0, -5.0, 1.0};
    g.direction = {-1, 0, 0, 0, 1, 0, 0, 0, 1}; // i runs towards -x (a flipped axis)
    Image image(g, 1, PixelType::Int16);
    image.voxels().assign(g.voxelCount(), 0.0f);
    image.voxels()[(1 * 3 + 2) * 4 + 3] = -742.5f; // voxel (3, 2, 1)
    CursorReadout readout;
    readout.showVoxel(&image, std::array<std::size_t, 3>{3, 2, 1});
    // x = 10 - 3 * 0.5, y = -5 + 2 * 2, z = 1 + 1 * 3
    QCOMPARE(readout.text(), QString("Voxel (3, 2, 1) Position (8.5, -1.0, 4.0) mm Intensity -742.5"));
    readout.showVoxel(&image, std::nullopt);
    QCOMPARE(readout.text(), QString());
    readout.showVoxel(nullptr, std::array<std::size_t, 3>{0, 0, 0});
    QCOMPARE(readout.text(), QString());
  }

  void an_rgb_pixel_shows_its_three_values() {
    ImageGeometry g;
    g.dimension = 2;
    g.size = {2, 2, 1};
    Image image(g, 3, PixelType::UInt8);
    image.voxels() = {0, 0, 0, 10, 20, 30, 0, 0, 0, 0, 0, 0}; // components interleaved: pixel (1, 0) = 10, 20, 30
    CursorReadout readout;
    readout.showVoxel(&image, std::array<std::size_t, 3>{1, 0, 0});
    QVERIFY2(readout.text().endsWith("Intensity 10, 20, 30"), qPrintable(readout.text()));
  }
};

QTEST_MAIN(CursorReadoutTest)
#include "cursor_readout_test.moc"
