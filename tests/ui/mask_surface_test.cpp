// The mask surface lies in physical millimetres: a voxelised ball on an anisotropic, shifted and
// rotated (or mirrored) grid gives back the ball's analytic volume and its physical centre.

#include "view/mask_surface.h"

#include <vtkDataArray.h>
#include <vtkFeatureEdges.h>
#include <vtkMassProperties.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>

#include <QtTest>

#include <array>
#include <cstdint>
#include <cmath>
#include <stdexcept>

using namespace medclick;
using namespace medclick::ui;

namespace {

constexpr double kPi = 3.14159265358979323846;

struct Ball {
  std::array<double, 3> centre; // physical, mm
  double radius;                // mm
};

// Every voxel whose centre lies inside the ball is set, so the mask is the ball as a scanner would
// sample it on this grid.
LabelMask ballMask(const ImageGeometry& geometry, const Ball& ball) {
  LabelMask mask(geometry);
  std::size_t index = 0;
  for (std::size_t k = 0; k < geometry.size[2]; ++k)
    for (std::size_t j = 0; j < geometry.size[1]; ++j)
      for (std::size_t i = 0; i < geometry.size[0]; ++i, ++index) {
        const auto p = geometry.indexToPhysical({double(i), double(j), double(k)});
        const double d = std::hypot(p[0] - ball.centre[0], p[1] - ball.centre[1], p[2] - ball.centre[2]);
        if (d <= ball.radius) mask.labels()[index] = 1;
      }
  return mask;
}

ImageGeometry anisotropicGrid(const std::array<double, 9>& direction) {
  ImageGeometry geometry;
  geometry.dimension = 3;
  geometry.size = {48, 40, 30};
  geometry.spacing = {0.7, 0.9, 1.6};
  geometry.origin = {-30.5, 12.25, 80.0};
  geometry.direction = direction;
  return geometry;
}

double enclosedVolume(vtkPolyData* surface) {
  vtkNew<vtkMassProperties> mass;
  mass->SetInputData(surface);
  mass->Update();
  return mass->GetVolume();
}

std::array<double, 3> boundsCentre(vtkPolyData* surface) {
  double b[6];
  surface->GetBounds(b);
  return {(b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2};
}

vtkIdType boundaryEdgeCount(vtkPolyData* surface) {
  vtkNew<vtkFeatureEdges> edges;
  edges->SetInputData(surface);
  edges->BoundaryEdgesOn();
  edges->NonManifoldEdgesOff();
  edges->FeatureEdgesOff();
  edges->ManifoldEdgesOff();
  edges->Update();
  return edges->GetOutput()->GetNumberOfLines();
}

// Fraction of points whose normal points away from the ball's centre.
double outwardNormalFraction(vtkPolyData* surface, const Ball& ball) {
  vtkDataArray* normals = surface->GetPointData()->GetNormals();
  if (!normals) return 0.0;
  vtkIdType outward = 0;
  for (vtkIdType id = 0; id < surface->GetNumberOfPoints(); ++id) {
    double p[3], n[3];
    surface->GetPoint(id, p);
    normals->GetTuple(id, n);
    double dot = 0;
    for (int a = 0; a < 3; ++a) dot += n[a] * (p[a] - ball.centre[a]);
    if (dot > 0) ++outward;
  }
  return double(outward) / double(surface->GetNumberOfPoints());
}

} // namespace

class MaskSurfaceTest : public QObject {
  Q_OBJECT

private:
  void checkBallOnGrid(const ImageGeometry& geometry) {
    // Centre between voxel centres on every axis, so that no axis is favoured by the sampling.
    const Ball ball{geometry.indexToPhysical({23.3, 19.6, 14.2}), 10.0};
    const auto surface = extractMaskSurface(ballMask(geometry, ball), geometry);
    QVERIFY(surface->GetNumberOfPolys() > 0);

    const double analytic = 4.0 / 3.0 * kPi * std::pow(ball.radius, 3);
    const double volume = enclosedVolume(surface);
    const double volumeError = std::abs(volume - analytic) / analytic;
    const auto centre = boundsCentre(surface);
    const double centreError =
        std::hypot(centre[0] - ball.centre[0], centre[1] - ball.centre[1], centre[2] - ball.centre[2]);
    qInfo("%lld triangles, volume %.1f mm3 vs %.1f mm3 (%.2f %%), centre error %.3f mm",
          static_cast<long long>(surface->GetNumberOfPolys()), volume, analytic, 100.0 * volumeError, centreError);

    QVERIFY2(volumeError < 0.03, qPrintable(QString("volume %1 mm3, ball %2 mm3").arg(volume).arg(analytic)));
    // Less than the smallest voxel edge: a grid read without its direction, origin or spacing
    // would put the centre centimetres away.
    QVERIFY2(centreError < 0.7, qPrintable(QString("centre %1 mm from the ball's").arg(centreError)));
    QCOMPARE(boundaryEdgeCount(surface), vtkIdType(0));
    QCOMPARE(outwardNormalFraction(surface, ball), 1.0);
  }

private slots:
  void the_object_box_follows_changed_boxes_without_a_volume_scan() {
    const ImageGeometry geometry = anisotropicGrid({1, 0, 0, 0, 1, 0, 0, 0, 1});
    const VoxelBox whole = VoxelBox::whole(geometry.size);
    LabelMask mask(geometry);
    QVERIFY(nonZeroBox(mask, whole).empty());
    const auto set = [&](const VoxelBox& box, std::uint8_t value) {
      for (std::size_t k = box.begin[2]; k < box.end[2]; ++k)
        for (std::size_t j = box.begin[1]; j < box.end[1]; ++j)
          for (std::size_t i = box.begin[0]; i < box.end[0]; ++i) mask.labels()[(k * 40 + j) * 48 + i] = value;
    };
    const VoxelBox first{{5, 6, 7}, {9, 12, 10}};
    set(first, 1);
    const VoxelBox objectBox = nonZeroBox(mask, whole);
    QCOMPARE(objectBox, first);
    QCOMPARE(nonZeroBox(mask, VoxelBox{{0, 0, 0}, {7, 100, 100}}), (VoxelBox{{5, 6, 7}, {7, 12, 10}})); // only inside `within`

    // A second blob: the object's new box is found in old box ∪ changed box, as a whole scan finds it.
    const VoxelBox second{{30, 2, 20}, {33, 4, 29}};
    set(second, 2);
    QCOMPARE(nonZeroBox(mask, objectBox.united(second)), nonZeroBox(mask, whole));
    QCOMPARE(nonZeroBox(mask, whole), (VoxelBox{{5, 2, 7}, {33, 12, 29}}));
    // The first blob erased: the box shrinks to the second.
    set(first, 0);
    QCOMPARE(nonZeroBox(mask, VoxelBox{{5, 2, 7}, {33, 12, 29}}.united(first)), second);
    // The surface from the known box is the surface from a whole scan.
    const auto known = extractMaskSurface(mask, geometry, second);
    const auto scanned = extractMaskSurface(mask, geometry);
    QVERIFY(known->GetNumberOfPolys() > 0);
    QCOMPARE(known->GetNumberOfPolys(), scanned->GetNumberOfPolys());
    QCOMPARE(enclosedVolume(known), enclosedVolume(scanned));
  }

  void ball_on_rotated_anisotropic_grid_keeps_its_volume_and_physical_centre() {
    // Axis i points along +y and axis j along -x: a 90 degree rotation about z.
    checkBallOnGrid(anisotropicGrid({0, -1, 0, 1, 0, 0, 0, 0, 1}));
  }

  void ball_on_mirrored_grid_keeps_its_volume_and_outward_normals() {
    // Determinant -1 (axis j reversed): the triangles' winding flips, the normals must not.
    checkBallOnGrid(anisotropicGrid({1, 0, 0, 0, -1, 0, 0, 0, 1}));
  }

  void mask_touching_the_grid_border_gives_a_closed_surface() {
    ImageGeometry geometry;
    geometry.size = {6, 5, 4};
    geometry.spacing = {2.0, 2.0, 2.0};
    const auto surface = extractMaskSurface(LabelMask(geometry, 3), geometry);
    QVERIFY(surface->GetNumberOfPolys() > 0);
    QCOMPARE(boundaryEdgeCount(surface), vtkIdType(0));
    // Half-way between the outer voxel centres and the padding: x from -1 mm to 11 mm.
    double b[6];
    surface->GetBounds(b);
    QVERIFY2(std::abs(b[0] + 1.0) < 0.5 && std::abs(b[1] - 11.0) < 0.5,
             qPrintable(QString("x bounds %1..%2").arg(b[0]).arg(b[1])));
  }

  void two_dimensional_mask_has_an_empty_surface() {
    const ImageGeometry geometry{2, {20, 20, 1}};
    const auto surface = extractMaskSurface(LabelMask(geometry, 1), geometry);
    QCOMPARE(surface->GetNumberOfPoints(), vtkIdType(0));
    QCOMPARE(surface->GetNumberOfPolys(), vtkIdType(0));
  }

  void empty_volume_mask_has_an_empty_surface() {
    const ImageGeometry geometry{3, {10, 10, 10}};
    const auto surface = extractMaskSurface(LabelMask(geometry), geometry);
    QCOMPARE(surface->GetNumberOfPoints(), vtkIdType(0));
    QCOMPARE(surface->GetNumberOfPolys(), vtkIdType(0));
  }

  void mask_of_another_size_is_rejected() {
    const LabelMask mask(ImageGeometry{3, {10, 10, 10}}, 1);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, extractMaskSurface(mask, ImageGeometry{3, {10, 10, 11}}));
  }
};

QTEST_APPLESS_MAIN(MaskSurfaceTest)
#include "mask_surface_test.moc"
