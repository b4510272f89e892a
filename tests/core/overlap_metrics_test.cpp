// Dice, IoU, precision, recall, HD95 and ASSD (mm) of masks written as NIfTI with anisotropic spacing and read back, against
// values worked out by hand (each test's comment shows the arithmetic), and the empty-mask cases.

#include "eval/overlap_metrics.h"
#include "io/image_io_error.h"
#include "io/image_writer.h"
#include "io/mask_reader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace medclick;

namespace {

ImageGeometry grid2d(std::size_t width, std::size_t height, double sx, double sy) {
  ImageGeometry g;
  g.dimension = 2;
  g.size = {width, height, 1};
  g.spacing = {sx, sy, 1.0};
  return g;
}

// Object in columns x0..x1 and rows y0..y1 (inclusive) and slices z0..z1.
LabelMask box(const ImageGeometry& g, std::size_t x0, std::size_t x1, std::size_t y0, std::size_t y1, std::size_t z0 = 0,
              std::size_t z1 = 0) {
  LabelMask mask(g);
  for (std::size_t k = z0; k <= z1; ++k)
    for (std::size_t j = y0; j <= y1; ++j)
      for (std::size_t i = x0; i <= x1; ++i) mask.labels()[(k * g.size[1] + j) * g.size[0] + i] = 1;
  return mask;
}

void set(LabelMask& mask, std::size_t i, std::size_t j) { mask.labels()[j * mask.geometry().size[0] + i] = 1; }

} // namespace

class OverlapMetricsTest : public QObject {
  Q_OBJECT
  QTemporaryDir scratch_;

  // Through a real file: the spacing the metric sees is the one NIfTI kept.
  LabelMask roundTrip(const LabelMask& mask, const QString& name) {
    const std::string path = scratch_.filePath(name).toStdString();
    writeMask(mask, path);
    return readMask(path);
  }

private slots:
  void squares_offset_along_the_fine_axis_give_known_dice_iou_and_hd95_in_mm() {
    // 10×10 squares, B shifted 3 columns right; spacing 0.5 mm across, 2 mm down. Overlap 7×10:
    // Dice 2·70/200 = 0.7, IoU 70/130. Surface of A (36 px) to B's surface: the left column 1.5 mm
    // (3 px · 0.5), the right column 1.5 mm except its 2 corners (0, on B's top/bottom rows), the
    // top/bottom rows 1.0, 0.5 and then 0 inside B. Pooled with the mirror image: 28 zeros,
    // 4 × 0.5, 4 × 1.0, 36 × 1.5 mm; the 95th percentile is 1.5 mm (3 px would be 6 mm down).
    const ImageGeometry g = grid2d(30, 20, 0.5, 2.0);
    const LabelMask a = roundTrip(box(g, 5, 14, 5, 14), "a.nii.gz");
    const LabelMask b = roundTrip(box(g, 8, 17, 5, 14), "b.nii.gz");
    QCOMPARE(a.geometry().spacing[0], 0.5);
    QCOMPARE(a.geometry().spacing[1], 2.0);
    const OverlapMetrics m = overlapMetrics(a, b);
    QVERIFY(std::abs(m.dice - 0.7) < 1e-12);
    QVERIFY(std::abs(m.iou - 70.0 / 130.0) < 1e-12);
    QVERIFY2(std::abs(m.hd95Millimetres - 1.5) < 1e-5, qPrintable(QString::number(m.hd95Millimetres)));
    // Symmetric.
    QVERIFY(std::abs(overlapMetrics(b, a).hd95Millimetres - 1.5) < 1e-5);
  }

  void the_same_offset_along_the_coarse_axis_is_four_times_as_far() {
    // Shifted 3 rows down instead (2 mm per row): 20 of the 72 pooled distances are the full 6 mm
    // (the rest 0 to 4 mm), more than the top 5 %, so HD95 is 6 mm.
    const ImageGeometry g = grid2d(30, 20, 0.5, 2.0);
    const LabelMask a = roundTrip(box(g, 5, 14, 5, 14), "c.nii.gz");
    const LabelMask b = roundTrip(box(g, 5, 14, 8, 17), "d.nii.gz");
    const OverlapMetrics m = overlapMetrics(a, b);
    QVERIFY(std::abs(m.dice - 0.7) < 1e-12);
    QVERIFY2(std::abs(m.hd95Millimetres - 6.0) < 1e-5, qPrintable(QString::number(m.hd95Millimetres)));
  }

  void hd95_pools_both_directions_and_interpolates_the_percentile() {
    // A is one pixel; B is that pixel and another 4 columns away (2 mm). Distances: A→B {0},
    // B→A {0, 2}. Pooled and sorted {0, 0, 2}: rank 0.95·2 = 1.9 → 0 + 0.9·2 = 1.8 mm. (The larger
    // directed percentile, MONAI's definition, would be 1.9; the maximum, Hausdorff's, 2.)
    const ImageGeometry g = grid2d(16, 12, 0.5, 3.0);
    LabelMask a(g), b(g);
    set(a, 5, 5);
    set(b, 5, 5);
    set(b, 9, 5);
    const OverlapMetrics m = overlapMetrics(roundTrip(a, "e.nii.gz"), roundTrip(b, "f.nii.gz"));
    QVERIFY2(std::abs(m.hd95Millimetres - 1.8) < 1e-5, qPrintable(QString::number(m.hd95Millimetres)));
    QVERIFY(std::abs(m.dice - 2.0 / 3.0) < 1e-12);
    QVERIFY(std::abs(m.iou - 0.5) < 1e-12);
    // ASSD (medpy's assd): the directed means are 0 (A→B) and (0 + 2) / 2 = 1 mm, so 0.5 mm.
    QVERIFY2(std::abs(m.assdMillimetres - 0.5) < 1e-5, qPrintable(QString::number(m.assdMillimetres)));
    // A (the prediction) is all inside B: precision 1/1, recall 1/2.
    QCOMPARE(m.precision, 1.0);
    QCOMPARE(m.recall, 0.5);
  }

  void a_far_outlier_pixel_moves_hd95_little_but_would_be_the_hausdorff_distance() {
    // Identical 10×10 squares but B has one stray pixel 20 columns away. 36 + 37 surface pixels,
    // 72 of them at 0: the 95th percentile (rank 68.4) is 0 mm.
    const ImageGeometry g = grid2d(40, 20, 1.0, 1.0);
    LabelMask a = box(g, 2, 11, 2, 11), b = box(g, 2, 11, 2, 11);
    set(b, 31, 6);
    const OverlapMetrics m = overlapMetrics(roundTrip(a, "g.nii.gz"), roundTrip(b, "h.nii.gz"));
    QVERIFY2(m.hd95Millimetres < 1e-6, qPrintable(QString::number(m.hd95Millimetres)));
    QVERIFY(std::abs(m.dice - 200.0 / 201.0) < 1e-12);
  }

  void boxes_offset_across_thick_slices_in_3d() {
    // 6×6×6 boxes, B 2 slices further; spacing 0.8 × 0.8 × 3 mm. Overlap 6×6×4: Dice 288/432,
    // IoU 144/288. Surfaces: 6³ − 4³ = 152 voxels each. The 36 voxels of A's first slice are 2 slices
    // (6 mm) from B's surface, and B's last slice from A's; the other distances are 0, 0.8, 1.6 or
    // 3 mm. 72 of the 304 pooled values are 6 mm, all above rank 0.95 · 303: HD95 is 6 mm. The same
    // shift sideways (2 columns of 0.8 mm) gives 1.6 mm.
    ImageGeometry g;
    g.dimension = 3;
    g.size = {12, 12, 14};
    g.spacing = {0.8, 0.8, 3.0};
    const LabelMask a = roundTrip(box(g, 3, 8, 3, 8, 2, 7), "a3.nii.gz");
    const LabelMask b = roundTrip(box(g, 3, 8, 3, 8, 4, 9), "b3.nii.gz");
    QCOMPARE(a.geometry().spacing[2], 3.0);
    const OverlapMetrics m = overlapMetrics(a, b);
    QVERIFY(std::abs(m.dice - 288.0 / 432.0) < 1e-12);
    QVERIFY(std::abs(m.iou - 0.5) < 1e-12);
    QVERIFY2(std::abs(m.hd95Millimetres - 6.0) < 1e-5, qPrintable(QString::number(m.hd95Millimetres)));
    const OverlapMetrics sideways = overlapMetrics(a, roundTrip(box(g, 5, 10, 3, 8, 2, 7), "c3.nii.gz"));
    QVERIFY(std::abs(sideways.dice - 288.0 / 432.0) < 1e-12);
    QVERIFY2(std::abs(sideways.hd95Millimetres - 1.6) < 1e-5, qPrintable(QString::number(sideways.hd95Millimetres)));
  }

  void both_empty_is_a_perfect_match_and_one_empty_is_an_infinite_miss() {
    const ImageGeometry g = grid2d(10, 10, 0.7, 0.7);
    const LabelMask empty(g), square = box(g, 2, 5, 2, 5);
    OverlapMetrics m = overlapMetrics(empty, empty);
    QCOMPARE(m.dice, 1.0);
    QCOMPARE(m.iou, 1.0);
    QCOMPARE(m.hd95Millimetres, 0.0);
    m = overlapMetrics(empty, square);
    QCOMPARE(m.dice, 0.0);
    QCOMPARE(m.iou, 0.0);
    QCOMPARE(m.recall, 0.0);
    QVERIFY(std::isinf(m.hd95Millimetres) && m.hd95Millimetres > 0);
    QVERIFY(std::isinf(m.assdMillimetres));
    QVERIFY(std::isinf(overlapMetrics(square, empty).hd95Millimetres));
  }

  void labels_other_than_one_count_as_object_and_other_grids_are_refused() {
    const ImageGeometry g = grid2d(10, 10, 1.0, 1.0);
    LabelMask a = box(g, 2, 5, 2, 5), b = box(g, 2, 5, 2, 5);
    for (auto& v : b.labels()) v = v ? 3 : 0;
    const OverlapMetrics m = overlapMetrics(a, b);
    QCOMPARE(m.dice, 1.0);
    QCOMPARE(m.hd95Millimetres, 0.0);
    const LabelMask other(grid2d(10, 10, 1.0, 2.0));
    QVERIFY_THROWS_EXCEPTION(ImageIOError, overlapMetrics(other, a));
  }
};

QTEST_GUILESS_MAIN(OverlapMetricsTest)
#include "overlap_metrics_test.moc"
