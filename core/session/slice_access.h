#pragma once
// A 2D slice of a 3D grid in one of the three orientations, to hand a 2D model one plane of a volume
// and write its answer back. A 2D image is its own single axial slice.

#include "image/image_geometry.h"

#include <cstddef>
#include <vector>

namespace medclick {

enum class SliceAxis { Sagittal = 0, Coronal = 1, Axial = 2 }; // the index axis held fixed: i, j or k

struct SliceRef {
  SliceAxis axis = SliceAxis::Axial;
  std::size_t index = 0;
  // The scope of a 3D engine's step, which changes the whole volume (an undo entry, not a plane).
  static SliceRef wholeVolume() { return {SliceAxis::Axial, static_cast<std::size_t>(-1)}; }
  bool isWholeVolume() const { return index == static_cast<std::size_t>(-1); }
  bool operator==(const SliceRef& o) const { return axis == o.axis && index == o.index; }
  bool operator!=(const SliceRef& o) const { return !(*this == o); }
};

struct SliceShape {
  std::size_t width = 0, height = 0; // columns and rows of the slice
};

SliceShape sliceShape(const ImageGeometry& geometry, SliceAxis axis);
bool sliceExists(const ImageGeometry& geometry, const SliceRef& slice);

// Copies the slice out of (or into) a volume buffer with `components` values per voxel.
template <typename T>
std::vector<T> extractSlice(const std::vector<T>& volume, const ImageGeometry& geometry, const SliceRef& slice, unsigned components = 1);
template <typename T>
void insertSlice(std::vector<T>& volume, const ImageGeometry& geometry, const SliceRef& slice, const std::vector<T>& plane,
                 unsigned components = 1);

} // namespace medclick
