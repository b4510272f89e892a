#pragma once
// What the structure check of a 2D picture (PNG, JPEG, BMP) learnt from its header: the size the
// decoder must return, and the pixel spacing the file records (mm), as ITK would take it over.

#include <array>
#include <cstdint>

namespace medclick::detail {

struct PictureFacts {
  std::uint32_t width = 0, height = 0;
  unsigned channels = 1;                    // as stored: 1 grey, 2 grey+alpha, 3 colour, 4 colour+alpha
  unsigned bitsPerChannel = 8;
  std::array<double, 2> spacing{1.0, 1.0};  // mm per pixel (1 where the file says nothing usable)
};

} // namespace medclick::detail
