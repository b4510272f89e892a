#pragma once
// A label mask (uint8 per voxel, 0 = background) on the same grid as the image it annotates.

#include "image/image_geometry.h"

#include <cstdint>
#include <vector>

namespace medclick {

class Image;

class LabelMask {
public:
  LabelMask() = default;
  explicit LabelMask(const ImageGeometry& geometry, std::uint8_t fill = 0);

  const ImageGeometry& geometry() const { return geometry_; }
  std::vector<std::uint8_t>& labels() { return labels_; }
  const std::vector<std::uint8_t>& labels() const { return labels_; }
  std::uint8_t at(std::size_t i, std::size_t j, std::size_t k = 0) const;

  std::uint8_t maximumLabel() const;
  std::size_t countNonZero() const;

private:
  ImageGeometry geometry_;
  std::vector<std::uint8_t> labels_;
};

// Throws GeometryMismatchError (with both geometries in the message) unless mask and image share a grid.
void requireSameGrid(const ImageGeometry& image, const ImageGeometry& mask, const std::string& maskSource);

} // namespace medclick
