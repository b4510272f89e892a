#include "io/itk_conversion.h"

#include <algorithm>
#include <vector>

namespace medclick::detail {

ImageGeometry geometryOf(const FloatVolume* image, unsigned dimension) {
  ImageGeometry g;
  g.dimension = dimension;
  const auto size = image->GetLargestPossibleRegion().GetSize();
  for (unsigned a = 0; a < 3; ++a) {
    g.size[a] = size[a];
    g.spacing[a] = image->GetSpacing()[a];
    g.origin[a] = image->GetOrigin()[a];
    for (unsigned c = 0; c < 3; ++c) g.direction[a * 3 + c] = image->GetDirection()(a, c);
  }
  return g;
}

PixelType pixelTypeOf(itk::IOComponentEnum component) {
  using C = itk::IOComponentEnum;
  switch (component) {
  case C::UCHAR: return PixelType::UInt8;
  case C::CHAR: return PixelType::Int8;
  case C::USHORT: return PixelType::UInt16;
  case C::SHORT: return PixelType::Int16;
  case C::UINT: return PixelType::UInt32;
  case C::INT: return PixelType::Int32;
  case C::FLOAT: return PixelType::Float32;
  default: return PixelType::Float64; // double and 64-bit integers: only a double holds them all
  }
}

itk::IOComponentEnum componentOf(PixelType type) {
  using C = itk::IOComponentEnum;
  switch (type) {
  case PixelType::UInt8: return C::UCHAR;
  case PixelType::Int8: return C::CHAR;
  case PixelType::UInt16: return C::USHORT;
  case PixelType::Int16: return C::SHORT;
  case PixelType::UInt32: return C::UINT;
  case PixelType::Int32: return C::INT;
  case PixelType::Float32: return C::FLOAT;
  case PixelType::Float64: return C::DOUBLE;
  }
  return C::FLOAT;
}

Image imageFromVolume(const FloatVolume* volume, unsigned dimension, PixelType storedType) {
  Image image(geometryOf(volume, dimension), 1, storedType);
  const float* buffer = volume->GetBufferPointer();
  std::copy(buffer, buffer + image.voxels().size(), image.voxels().begin());
  return image;
}

std::string shortReason(const std::string& itkDescription) {
  std::vector<std::string> lines;
  for (std::size_t start = 0; start <= itkDescription.size();) {
    const auto end = std::min(itkDescription.find('\n', start), itkDescription.size());
    std::string line = itkDescription.substr(start, end - start);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (!line.empty()) lines.push_back(line);
    start = end + 1;
  }
  if (lines.empty()) return "ITK could not read it";
  std::string reason = lines.front();
  // "ITK ERROR: NiftiImageIO(0x55ca1e24a430): " / "itk::ERROR: NrrdImageIO(0x...): " say nothing a user can act on.
  const auto prefix = reason.find("): ");
  if ((reason.rfind("ITK ERROR: ", 0) == 0 || reason.rfind("itk::ERROR: ", 0) == 0) && prefix != std::string::npos)
    reason = reason.substr(prefix + 3);
  // teem (NRRD) puts its own reason on the last of several "[nrrd] function: reason" lines.
  if (reason.back() == ':' && lines.size() > 1) {
    std::string detail = lines.back();
    const auto bracket = detail.rfind("] ", 0) == std::string::npos && detail.front() == '[' ? detail.find("] ") : std::string::npos;
    if (bracket != std::string::npos) detail = detail.substr(bracket + 2);
    const auto colon = detail.find(": ");
    if (colon != std::string::npos && detail.find(' ') > colon) detail = detail.substr(colon + 2);
    reason += " " + detail;
  }
  return reason;
}

} // namespace medclick::detail
