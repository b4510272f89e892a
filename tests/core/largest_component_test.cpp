// Keeping an automatic mask's largest connected object: in 2D and 3D, face connectivity (a diagonal
// touch does not join), values below the threshold untouched, and the component count returned.

#include "segmentation/largest_component.h"

#include <QtTest>

using namespace medclick;

namespace {

ImageGeometry grid(std::size_t nx, std::size_t ny, std::size_t nz) {
  ImageGeometry g;
  g.dimension = nz == 1 ? 2 : 3;
  g.size = {nx, ny, nz};
  return g;
}

} // namespace

class LargestComponentTest : public QObject {
  Q_OBJECT

private slots:
  void the_smaller_objects_are_dropped_in_2d_and_faint_values_stay() {
    const ImageGeometry g = grid(10, 6, 1);
    std::vector<float> p(60, 0.0f);
    const auto at = [&](int x, int y) -> float& { return p[static_cast<std::size_t>(y * 10 + x)]; };
    for (int y = 1; y <= 3; ++y)
      for (int x = 1; x <= 3; ++x) at(x, y) = 0.9f; // 9 pixels
    at(4, 4) = 0.8f;                                 // touches the square only at a corner: its own object
    at(8, 1) = at(8, 2) = 0.7f;                      // 2 pixels
    at(6, 5) = 0.3f;                                 // below the threshold: not an object, left alone
    QCOMPARE(keepLargestComponent(p, g, 0.5), 3);
    QCOMPARE(at(2, 2), 0.9f);
    QCOMPARE(at(4, 4), 0.0f);
    QCOMPARE(at(8, 1), 0.0f);
    QCOMPARE(at(6, 5), 0.3f);
  }

  void a_tumour_and_a_stray_blob_on_another_slice_in_3d() {
    const ImageGeometry g = grid(6, 6, 5);
    std::vector<float> p(180, 0.0f);
    const auto at = [&](int x, int y, int z) -> float& { return p[static_cast<std::size_t>((z * 6 + y) * 6 + x)]; };
    for (int z = 1; z <= 3; ++z) at(2, 2, z) = at(3, 2, z) = 1.0f; // 6 voxels across three slices: one object
    at(5, 5, 0) = 1.0f;
    QCOMPARE(keepLargestComponent(p, g, 0.49), 2);
    QCOMPARE(at(2, 2, 1), 1.0f);
    QCOMPARE(at(3, 2, 3), 1.0f);
    QCOMPARE(at(5, 5, 0), 0.0f);
    std::vector<float> empty(180, 0.1f);
    QCOMPARE(keepLargestComponent(empty, g, 0.49), 0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, keepLargestComponent(empty, grid(5, 5, 5), 0.49));
  }
};

QTEST_GUILESS_MAIN(LargestComponentTest)
#include "largest_component_test.moc"
