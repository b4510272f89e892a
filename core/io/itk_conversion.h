#pragma once
// Private to core/io: moving pixels and geometry between ITK images and MedClick's types.

#include "image/image.h"
#include "image/label_mask.h"

#include <itkImage.h>
#include <itkImageIOBase.h>

#include <string>

namespace medclick::detail {

using FloatVolume = itk::Image<float, 3>;

ImageGeometry geometryOf(const FloatVolume* image, unsigned dimension);
PixelType pixelTypeOf(itk::IOComponentEnum component);
itk::IOComponentEnum componentOf(PixelType type);

// Copies a scalar ITK volume into a MedClick image of the given dimension.
Image imageFromVolume(const FloatVolume* volume, unsigned dimension, PixelType storedType);

// First line of an ITK exception's description: ITK's messages carry file/line noise after it.
std::string shortReason(const std::string& itkDescription);

} // namespace medclick::detail
