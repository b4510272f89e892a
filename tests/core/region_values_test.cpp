// Voxel boxes of a grid: copy out and back, and a slice's box,
// whose values must be the slice's pixels in extractSlice's order for each of the three axes.

#include "session/region_values.h"

#include <QtTest>

#include <numeric>

using namespace medclick;

class RegionValuesTest : public QObject {
  Q_OBJECT

private slots:
  void a_region_copies_out_and_back_unchanged() {
    const std::array<std::size_t, 3> size{5, 4, 3};
    std::vector<float> grid(60);
    std::iota(grid.begin(), grid.end(), 0.0f);
    const VoxelBox box{{1, 1, 1}, {4, 3, 3}};
    const auto values = copyRegion(grid, size, box);
    QCOMPARE(values.size(), std::size_t{3 * 2 * 2});
    QCOMPARE(values[0], grid[(1 * 4 + 1) * 5 + 1]);  // (1, 1, 1)
    QCOMPARE(values.back(), grid[(2 * 4 + 2) * 5 + 3]); // (3, 2, 2)
    std::vector<float> other(60, -1.0f);
    pasteRegion(other, size, box, values);
    for (std::size_t k = 0; k < 3; ++k)
      for (std::size_t j = 0; j < 4; ++j)
        for (std::size_t i = 0; i < 5; ++i) {
          const std::size_t at = (k * 4 + j) * 5 + i;
          QCOMPARE(other[at], box.contains(i, j, k) ? grid[at] : -1.0f);
        }
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, copyRegion(grid, size, VoxelBox{{0, 0, 0}, {6, 1, 1}}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pasteRegion(other, size, box, std::vector<float>(3)));
  }

  void a_slice_box_holds_the_slice_pixels_in_their_order() {
    ImageGeometry g;
    g.dimension = 3;
    g.size = {4, 3, 5};
    std::vector<float> grid(60);
    std::iota(grid.begin(), grid.end(), 0.0f);
    for (const SliceAxis axis : {SliceAxis::Sagittal, SliceAxis::Coronal, SliceAxis::Axial}) {
      const SliceRef slice{axis, 2};
      QCOMPARE(copyRegion(grid, g.size, sliceBox(g, slice)), extractSlice(grid, g, slice));
    }
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, sliceBox(g, SliceRef{SliceAxis::Sagittal, 4}));
  }
};

QTEST_APPLESS_MAIN(RegionValuesTest)
#include "region_values_test.moc"
