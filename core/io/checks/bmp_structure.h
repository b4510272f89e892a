#pragma once
// BMP structure check: the file and info headers (BITMAPINFOHEADER and its V4/V5 extensions, or the
// OS/2 core header), a non-zero size, 1/4/8/16/24/32 bits per pixel, a palette inside the file, and
// uncompressed pixel rows that the file really holds. RLE-compressed BMPs are refused: a cut RLE
// stream decodes to a half-filled image without an error.

#include "io/checks/file_bytes.h"
#include "io/checks/picture_facts.h"

#include <string>

namespace medclick::detail {

PictureFacts checkBmpStructure(const std::string& path, const Bytes& file);

} // namespace medclick::detail
