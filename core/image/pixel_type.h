#pragma once
// The component type an image had on disk. MedClick computes in float, but remembers this so that
// `convert` and exports write the values back in the type they came in.

#include <string>

namespace medclick {

enum class PixelType { UInt8, Int8, UInt16, Int16, UInt32, Int32, Float32, Float64 };

std::string pixelTypeName(PixelType type);            // "uint8", "int16", "float32", ...
bool pixelTypeIsInteger(PixelType type);
double pixelTypeMinimum(PixelType type);               // lowest representable value
double pixelTypeMaximum(PixelType type);

} // namespace medclick
