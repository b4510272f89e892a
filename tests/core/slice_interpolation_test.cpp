// Fill between slices: discs drawn on two slices give a disc on every slice between them, with the
// radius the distance-map blend predicts (concentric discs of radius r0 and r1: (1 - t) r0 + t r1),
// a shape that moves moves with it, other labels stay, and bad requests are refused.

#include "segmentation/slice_interpolation.h"

#include <QtTest>

#include <cmath>

using namespace medclick;

namespace {

constexpr double kPi = 3.14159265358979323846;

ImageGeometry volume() {
  ImageGeometry g;
  g.dimension = 3;
  g.size = {40, 36, 14};
  g.spacing = {0.5, 0.5, 2.0}; // in-plane mm, thick slices: the radii below are in mm
  return g;
}

std::size_t at(const ImageGeometry& g, std::size_t i, std::size_t j, std::size_t k) { return (k * g.size[1] + j) * g.size[0] + i; }

void drawDisc(LabelMask& mask, std::size_t k, double ci, double cj, double radiusMm, std::uint8_t label) {
  const ImageGeometry& g = mask.geometry();
  for (std::size_t j = 0; j < g.size[1]; ++j)
    for (std::size_t i = 0; i < g.size[0]; ++i)
      if (std::hypot((i - ci) * g.spacing[0], (j - cj) * g.spacing[1]) <= radiusMm) mask.labels()[at(g, i, j, k)] = label;
}

struct SliceShapeStats {
  std::size_t voxels = 0;
  double ci = 0, cj = 0;
};

SliceShapeStats stats(const LabelMask& mask, std::size_t k, std::uint8_t label) {
  const ImageGeometry& g = mask.geometry();
  SliceShapeStats s;
  for (std::size_t j = 0; j < g.size[1]; ++j)
    for (std::size_t i = 0; i < g.size[0]; ++i)
      if (mask.labels()[at(g, i, j, k)] == label) {
        ++s.voxels;
        s.ci += static_cast<double>(i);
        s.cj += static_cast<double>(j);
      }
  if (s.voxels > 0) {
    s.ci /= static_cast<double>(s.voxels);
    s.cj /= static_cast<double>(s.voxels);
  }
  return s;
}

} // namespace

class SliceInterpolationTest : public QObject {
  Q_OBJECT

private slots:
  void concentric_discs_blend_their_radii() {
    LabelMask mask(volume());
    drawDisc(mask, 2, 20, 18, 2.0, 1); // radius 2 mm on slice 2
    drawDisc(mask, 8, 20, 18, 8.0, 1); // radius 8 mm on slice 8
    const VoxelBox box = interpolateBetweenSlices(mask, 1, {SliceAxis::Axial, 8}, {SliceAxis::Axial, 2});
    QCOMPARE(box.begin[2], std::size_t(3));
    QCOMPARE(box.end[2], std::size_t(8));
    std::size_t previous = stats(mask, 2, 1).voxels;
    for (std::size_t k = 3; k < 8; ++k) {
      const double t = (k - 2.0) / 6.0;
      const double radius = (1 - t) * 2.0 + t * 8.0;                 // mm
      const double expected = kPi * radius * radius / (0.5 * 0.5); // voxels of 0.25 mm²
      const auto s = stats(mask, k, 1);
      QVERIFY2(std::abs(s.voxels - expected) <= 0.08 * expected + 8,
               qPrintable(QString("slice %1: %2 voxels, a disc of %3 mm has %4").arg(k).arg(s.voxels).arg(radius).arg(expected)));
      QVERIFY(s.voxels > previous);
      previous = s.voxels;
      QVERIFY(std::abs(s.ci - 20) < 0.5 && std::abs(s.cj - 18) < 0.5);
    }
    for (std::size_t k : {0, 1, 9, 13}) QCOMPARE(stats(mask, k, 1).voxels, std::size_t(0)); // outside the two slices: untouched
  }

  void a_moving_shape_moves_and_other_labels_stay() {
    LabelMask mask(volume());
    drawDisc(mask, 1, 10, 10, 3.0, 1);
    drawDisc(mask, 11, 28, 24, 3.0, 1);
    drawDisc(mask, 6, 19, 17, 1.5, 2); // another structure right on the path
    const std::size_t otherBefore = stats(mask, 6, 2).voxels;
    interpolateBetweenSlices(mask, 1, {SliceAxis::Axial, 1}, {SliceAxis::Axial, 11});
    double lastI = 10;
    for (std::size_t k = 2; k < 11; ++k) {
      const auto s = stats(mask, k, 1);
      QVERIFY2(s.voxels > 0, qPrintable(QString("slice %1 is empty").arg(k)));
      QVERIFY(s.ci >= lastI - 0.5);
      lastI = s.ci;
    }
    QCOMPARE(stats(mask, 6, 2).voxels, otherBefore); // label 2 was not overwritten
  }

  void a_coronal_pair_fills_the_coronal_slices_between() {
    LabelMask mask(volume());
    const ImageGeometry& g = mask.geometry();
    for (std::size_t j : {4, 12})
      for (std::size_t k = 4; k < 9; ++k)
        for (std::size_t i = 15; i < 25; ++i) mask.labels()[at(g, i, j, k)] = 3;
    const VoxelBox box = interpolateBetweenSlices(mask, 3, {SliceAxis::Coronal, 4}, {SliceAxis::Coronal, 12});
    QCOMPARE(box.begin[1], std::size_t(5));
    QCOMPARE(box.end[1], std::size_t(12));
    for (std::size_t j = 5; j < 12; ++j) {
      QCOMPARE(mask.labels()[at(g, 20, j, 6)], std::uint8_t(3));
      QCOMPARE(mask.labels()[at(g, 5, j, 6)], std::uint8_t(0));
    }
  }

  void bad_requests_are_refused_and_adjacent_slices_change_nothing() {
    LabelMask mask(volume());
    drawDisc(mask, 3, 20, 18, 3.0, 1);
    drawDisc(mask, 4, 20, 18, 3.0, 1);
    const auto before = mask.labels();
    QVERIFY(interpolateBetweenSlices(mask, 1, {SliceAxis::Axial, 3}, {SliceAxis::Axial, 4}).empty());
    QVERIFY(mask.labels() == before);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, interpolateBetweenSlices(mask, 1, {SliceAxis::Axial, 3}, {SliceAxis::Axial, 9}));  // 9 is empty
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, interpolateBetweenSlices(mask, 1, {SliceAxis::Axial, 3}, {SliceAxis::Coronal, 9}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, interpolateBetweenSlices(mask, 1, {SliceAxis::Axial, 3}, {SliceAxis::Axial, 14}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, interpolateBetweenSlices(mask, 0, {SliceAxis::Axial, 3}, {SliceAxis::Axial, 4}));
    QVERIFY(mask.labels() == before);
  }
};

QTEST_APPLESS_MAIN(SliceInterpolationTest)
#include "slice_interpolation_test.moc"
