#include "segmentation/slice_interpolation.h"

#include "image/itk_mask_image.h"

#include <itkSignedMaurerDistanceMapImageFilter.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace medclick {

namespace {

// The slice as a 2D grid: its shape, and the spacings of its two in-plane axes (distances in mm).
ImageGeometry planeGeometry(const ImageGeometry& g, SliceAxis axis) {
  static constexpr int kInPlane[3][2] = {{1, 2}, {0, 2}, {0, 1}}; // sagittal (j, k), coronal (i, k), axial (i, j)
  const auto [u, v] = kInPlane[static_cast<int>(axis)];
  ImageGeometry plane;
  plane.dimension = 2;
  plane.size = {g.size[static_cast<std::size_t>(u)], g.size[static_cast<std::size_t>(v)], 1};
  plane.spacing = {g.spacing[static_cast<std::size_t>(u)], g.spacing[static_cast<std::size_t>(v)], 1.0};
  return plane;
}

// Signed distance (mm) to the shape's outline: negative inside, positive outside.
std::vector<float> signedDistance(const std::vector<std::uint8_t>& shape, const ImageGeometry& plane) {
  auto filter = itk::SignedMaurerDistanceMapImageFilter<itk::Image<std::uint8_t, 2>, itk::Image<float, 2>>::New();
  filter->SetInput(itkMaskImage<2>(shape, plane));
  filter->SetUseImageSpacing(true);
  filter->SetSquaredDistance(false);
  filter->SetInsideIsPositive(false);
  filter->SetBackgroundValue(0);
  filter->Update();
  const float* map = filter->GetOutput()->GetBufferPointer();
  return {map, map + shape.size()};
}

// The shape's centroid in (column, row) index units.
std::array<double, 2> centroid(const std::vector<std::uint8_t>& shape, std::size_t width) {
  double u = 0, v = 0, n = 0;
  for (std::size_t p = 0; p < shape.size(); ++p)
    if (shape[p]) {
      u += static_cast<double>(p % width);
      v += static_cast<double>(p / width);
      ++n;
    }
  return {u / n, v / n};
}

// Bilinear sample of a plane's map at a continuous (column, row), clamped to the plane: beyond its
// edge a distance map keeps growing, and the edge's value is a lower bound of it.
float sampleAt(const std::vector<float>& map, std::size_t width, std::size_t height, double u, double v) {
  u = std::clamp(u, 0.0, static_cast<double>(width - 1));
  v = std::clamp(v, 0.0, static_cast<double>(height - 1));
  const auto u0 = static_cast<std::size_t>(u), v0 = static_cast<std::size_t>(v);
  const std::size_t u1 = std::min(u0 + 1, width - 1), v1 = std::min(v0 + 1, height - 1);
  const double fu = u - static_cast<double>(u0), fv = v - static_cast<double>(v0);
  const double top = (1 - fu) * map[v0 * width + u0] + fu * map[v0 * width + u1];
  const double bottom = (1 - fu) * map[v1 * width + u0] + fu * map[v1 * width + u1];
  return static_cast<float>((1 - fv) * top + fv * bottom);
}

std::vector<std::uint8_t> labelShape(const std::vector<Label>& plane, Label label) {
  std::vector<std::uint8_t> shape(plane.size());
  std::transform(plane.begin(), plane.end(), shape.begin(), [label](Label v) { return v == label ? 1 : 0; });
  return shape;
}

} // namespace

VoxelBox interpolateBetweenSlices(LabelMask& mask, Label label, const SliceRef& from, const SliceRef& to) {
  const ImageGeometry& g = mask.geometry();
  if (label == 0) throw std::invalid_argument("interpolation needs a label, not the background");
  if (from.axis != to.axis) throw std::invalid_argument("the two slices to fill between must have the same orientation");
  if (!sliceExists(g, from) || !sliceExists(g, to)) throw std::invalid_argument("a slice to fill between lies outside the volume");
  const SliceRef first = from.index <= to.index ? from : to;
  const SliceRef last = from.index <= to.index ? to : from;
  const ImageGeometry plane = planeGeometry(g, first.axis);
  const auto shapeA = labelShape(extractSlice(mask.labels(), g, first), label);
  const auto shapeB = labelShape(extractSlice(mask.labels(), g, last), label);
  for (const auto* shape : {&shapeA, &shapeB})
    if (std::none_of(shape->begin(), shape->end(), [](std::uint8_t v) { return v != 0; }))
      throw std::invalid_argument("label " + std::to_string(label) + " is not drawn on slice " +
                                  std::to_string(shape == &shapeA ? first.index : last.index) + ": draw it on both slices first");
  if (last.index - first.index < 2) return VoxelBox{};
  const auto distanceA = signedDistance(shapeA, plane);
  const auto distanceB = signedDistance(shapeB, plane);
  const std::size_t width = plane.size[0], height = plane.size[1];
  const auto centreA = centroid(shapeA, width), centreB = centroid(shapeB, width);
  const double gap = static_cast<double>(last.index - first.index);
  // Maurer's map is 0 on a shape's edge voxels and at least one voxel outside it: the outline lies
  // half a voxel out, where the level is taken (a blend at t = 0 or 1 gives back the drawn shape).
  const double halfVoxel = 0.5 * std::min(plane.spacing[0], plane.spacing[1]);
  for (std::size_t s = first.index + 1; s < last.index; ++s) {
    const SliceRef slice{first.axis, s};
    const double t = static_cast<double>(s - first.index) / gap;
    // The centroid moves linearly; each map is shifted so its shape's centroid sits there, so a shape
    // that moves between the slices is carried along instead of fading out half-way.
    const double shiftAu = t * (centreB[0] - centreA[0]), shiftAv = t * (centreB[1] - centreA[1]);
    const double shiftBu = (t - 1) * (centreB[0] - centreA[0]), shiftBv = (t - 1) * (centreB[1] - centreA[1]);
    auto values = extractSlice(mask.labels(), g, slice);
    for (std::size_t p = 0; p < values.size(); ++p) {
      if (values[p] != 0) continue; // another label, or already this one: kept
      const double u = static_cast<double>(p % width), v = static_cast<double>(p / width);
      const double blend = (1 - t) * sampleAt(distanceA, width, height, u - shiftAu, v - shiftAv) +
                           t * sampleAt(distanceB, width, height, u - shiftBu, v - shiftBv);
      if (blend <= halfVoxel) values[p] = label;
    }
    insertSlice(mask.labels(), g, slice, values);
  }
  VoxelBox box = VoxelBox::whole(g.size);
  const auto a = static_cast<std::size_t>(first.axis);
  box.begin[a] = first.index + 1;
  box.end[a] = last.index;
  return box;
}

} // namespace medclick
