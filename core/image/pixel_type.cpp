#include "image/pixel_type.h"

#include <cstdint>
#include <limits>

namespace medclick {

namespace {
template <typename T> double lowest() { return static_cast<double>(std::numeric_limits<T>::lowest()); }
template <typename T> double highest() { return static_cast<double>(std::numeric_limits<T>::max()); }
} // namespace

std::string pixelTypeName(PixelType type) {
  switch (type) {
  case PixelType::UInt8: return "uint8";
  case PixelType::Int8: return "int8";
  case PixelType::UInt16: return "uint16";
  case PixelType::Int16: return "int16";
  case PixelType::UInt32: return "uint32";
  case PixelType::Int32: return "int32";
  case PixelType::Float32: return "float32";
  case PixelType::Float64: return "float64";
  }
  return "unknown";
}

bool pixelTypeIsInteger(PixelType type) { return type != PixelType::Float32 && type != PixelType::Float64; }

double pixelTypeMinimum(PixelType type) {
  switch (type) {
  case PixelType::UInt8: return lowest<std::uint8_t>();
  case PixelType::Int8: return lowest<std::int8_t>();
  case PixelType::UInt16: return lowest<std::uint16_t>();
  case PixelType::Int16: return lowest<std::int16_t>();
  case PixelType::UInt32: return lowest<std::uint32_t>();
  case PixelType::Int32: return lowest<std::int32_t>();
  case PixelType::Float32: return lowest<float>();
  case PixelType::Float64: return lowest<double>();
  }
  return 0;
}

double pixelTypeMaximum(PixelType type) {
  switch (type) {
  case PixelType::UInt8: return highest<std::uint8_t>();
  case PixelType::Int8: return highest<std::int8_t>();
  case PixelType::UInt16: return highest<std::uint16_t>();
  case PixelType::Int16: return highest<std::int16_t>();
  case PixelType::UInt32: return highest<std::uint32_t>();
  case PixelType::Int32: return highest<std::int32_t>();
  case PixelType::Float32: return highest<float>();
  case PixelType::Float64: return highest<double>();
  }
  return 0;
}

} // namespace medclick
