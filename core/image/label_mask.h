#pragma once
// A label map (one label per voxel, 0 = background, up to 65535 as in ITK-SNAP) on the same grid as
// the image it annotates. A binary mask is the label map of one segment, label 1.

#include "image/image_geometry.h"

#include <cstdint>
#include <vector>

namespace medclick {

class Image;

using Label = std::uint16_t; // a voxel's segment: 0 is the background

class LabelMask {
public:
  LabelMask() = default;
  explicit LabelMask(const ImageGeometry& geometry, Label fill = 0);

  const ImageGeometry& geometry() const { return geometry_; }
  std::vector<Label>& labels() { return labels_; }
  const std::vector<Label>& labels() const { return labels_; }
  Label at(std::size_t i, std::size_t j, std::size_t k = 0) const;

  Label maximumLabel() const;
  std::size_t countNonZero() const;

private:
  ImageGeometry geometry_;
  std::vector<Label> labels_;
};

// 1 where a voxel carries any segment, 0 in the background: what a binary model or metric sees of a
// label map (ground truth masks of one structure are read as label maps too).
std::vector<std::uint8_t> objectVoxels(const LabelMask& mask);

// Throws GeometryMismatchError (with both geometries in the message) unless mask and image share a grid.
void requireSameGrid(const ImageGeometry& image, const ImageGeometry& mask, const std::string& maskSource);

} // namespace medclick
