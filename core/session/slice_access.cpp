#include "session/slice_access.h"

#include <cstdint>
#include <stdexcept>

namespace medclick {

namespace {

// Volume index of slice pixel (column u, row v).
std::size_t voxelOf(const ImageGeometry& g, const SliceRef& s, std::size_t u, std::size_t v) {
  std::size_t i = 0, j = 0, k = 0;
  switch (s.axis) {
  case SliceAxis::Axial: i = u; j = v; k = s.index; break;
  case SliceAxis::Coronal: i = u; j = s.index; k = v; break;
  case SliceAxis::Sagittal: i = s.index; j = u; k = v; break;
  }
  return (k * g.size[1] + j) * g.size[0] + i;
}

void requireSlice(const ImageGeometry& g, const SliceRef& s) {
  if (!sliceExists(g, s)) throw std::out_of_range("slice " + std::to_string(s.index) + " is outside the image");
}

} // namespace

SliceShape sliceShape(const ImageGeometry& g, SliceAxis axis) {
  switch (axis) {
  case SliceAxis::Axial: return {g.size[0], g.size[1]};
  case SliceAxis::Coronal: return {g.size[0], g.size[2]};
  case SliceAxis::Sagittal: return {g.size[1], g.size[2]};
  }
  return {};
}

bool sliceExists(const ImageGeometry& g, const SliceRef& s) { return s.index < g.size[static_cast<int>(s.axis)]; }

template <typename T>
std::vector<T> extractSlice(const std::vector<T>& volume, const ImageGeometry& g, const SliceRef& s, unsigned components) {
  requireSlice(g, s);
  const SliceShape shape = sliceShape(g, s.axis);
  std::vector<T> plane(shape.width * shape.height * components);
  for (std::size_t v = 0; v < shape.height; ++v)
    for (std::size_t u = 0; u < shape.width; ++u)
      for (unsigned c = 0; c < components; ++c)
        plane[(v * shape.width + u) * components + c] = volume[voxelOf(g, s, u, v) * components + c];
  return plane;
}

template <typename T>
void insertSlice(std::vector<T>& volume, const ImageGeometry& g, const SliceRef& s, const std::vector<T>& plane, unsigned components) {
  requireSlice(g, s);
  const SliceShape shape = sliceShape(g, s.axis);
  if (plane.size() != shape.width * shape.height * components) throw std::invalid_argument("slice buffer of the wrong size");
  for (std::size_t v = 0; v < shape.height; ++v)
    for (std::size_t u = 0; u < shape.width; ++u)
      for (unsigned c = 0; c < components; ++c)
        volume[voxelOf(g, s, u, v) * components + c] = plane[(v * shape.width + u) * components + c];
}

template std::vector<float> extractSlice(const std::vector<float>&, const ImageGeometry&, const SliceRef&, unsigned);
template std::vector<std::uint8_t> extractSlice(const std::vector<std::uint8_t>&, const ImageGeometry&, const SliceRef&, unsigned);
template void insertSlice(std::vector<float>&, const ImageGeometry&, const SliceRef&, const std::vector<float>&, unsigned);
template void insertSlice(std::vector<std::uint8_t>&, const ImageGeometry&, const SliceRef&, const std::vector<std::uint8_t>&, unsigned);
template std::vector<std::uint16_t> extractSlice(const std::vector<std::uint16_t>&, const ImageGeometry&, const SliceRef&, unsigned);
template void insertSlice(std::vector<std::uint16_t>&, const ImageGeometry&, const SliceRef&, const std::vector<std::uint16_t>&, unsigned);

} // namespace medclick
