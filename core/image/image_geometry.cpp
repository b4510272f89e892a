#include "image/image_geometry.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace medclick {

std::array<double, 3> ImageGeometry::indexToPhysical(const std::array<double, 3>& index) const {
  std::array<double, 3> point = origin;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) point[r] += direction[r * 3 + c] * spacing[c] * index[c];
  return point;
}

std::array<double, 3> ImageGeometry::physicalToIndex(const std::array<double, 3>& point) const {
  // The direction matrix is orthonormal, so its inverse is its transpose.
  std::array<double, 3> index{0, 0, 0};
  for (int c = 0; c < 3; ++c) {
    double projected = 0;
    for (int r = 0; r < 3; ++r) projected += direction[r * 3 + c] * (point[r] - origin[r]);
    index[c] = projected / spacing[c];
  }
  return index;
}

bool ImageGeometry::sameGridAs(const ImageGeometry& other, double tolerance) const {
  if (dimension != other.dimension || size != other.size) return false;
  for (int a = 0; a < 3; ++a) {
    const double scale = std::max(std::abs(spacing[a]), 1e-12);
    if (std::abs(spacing[a] - other.spacing[a]) > tolerance * scale) return false;
    if (std::abs(origin[a] - other.origin[a]) > tolerance * scale) return false;
  }
  for (int e = 0; e < 9; ++e)
    if (std::abs(direction[e] - other.direction[e]) > tolerance) return false;
  return true;
}

std::string ImageGeometry::describe() const {
  std::ostringstream out;
  out.precision(6);
  out << dimension << "D " << size[0] << "x" << size[1];
  if (dimension == 3) out << "x" << size[2];
  out << " spacing " << spacing[0] << "x" << spacing[1];
  if (dimension == 3) out << "x" << spacing[2];
  out << " origin (" << origin[0] << "," << origin[1];
  if (dimension == 3) out << "," << origin[2];
  out << ") direction [";
  const unsigned n = dimension;
  for (unsigned r = 0; r < n; ++r) {
    for (unsigned c = 0; c < n; ++c) out << (c ? " " : "") << direction[r * 3 + c];
    if (r + 1 < n) out << "; ";
  }
  out << "]";
  return out.str();
}

} // namespace medclick
