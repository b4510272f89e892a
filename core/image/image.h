#pragma once
// A 2D or 3D image with its geometry. Scalar images have one component; 2D RGB images (photos of
// ultrasound screens, JPEG exports) keep three for display and are converted to intensity where a
// model needs one channel. Voxels are float, x fastest, then y, then z (ITK's buffer order).

#include "image/image_geometry.h"
#include "image/pixel_type.h"

#include <cstddef>
#include <vector>

namespace medclick {

struct IntensityStatistics {
  double minimum = 0, maximum = 0, mean = 0;
};

class Image {
public:
  Image() = default;
  Image(ImageGeometry geometry, unsigned components, PixelType storedType);

  const ImageGeometry& geometry() const { return geometry_; }
  ImageGeometry& geometry() { return geometry_; }
  unsigned components() const { return components_; }
  bool isRgb() const { return components_ == 3; }
  PixelType storedType() const { return storedType_; }
  void setStoredType(PixelType type) { storedType_ = type; }

  std::vector<float>& voxels() { return voxels_; }
  const std::vector<float>& voxels() const { return voxels_; }
  float at(std::size_t i, std::size_t j, std::size_t k = 0, unsigned component = 0) const;

  // NaN/Inf voxels found when the image was loaded (they were replaced by the finite minimum).
  std::size_t nonFiniteCount() const { return nonFiniteCount_; }
  // Replaces NaN and Inf by the smallest finite value and remembers how many there were.
  void replaceNonFinite();

  IntensityStatistics statistics() const;
  // Luminance (ITU-R BT.601) of an RGB image; a scalar image is returned as it is.
  Image toIntensity() const;

private:
  ImageGeometry geometry_;
  unsigned components_ = 1;
  PixelType storedType_ = PixelType::Float32;
  std::size_t nonFiniteCount_ = 0;
  std::vector<float> voxels_;
};

} // namespace medclick
