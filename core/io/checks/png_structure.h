#pragma once
// PNG structure check: every chunk's length and CRC, IHDR's fields (PNG spec 11.2.2: width and height
// 1..2^31-1, the allowed bit depth per colour type), PLTE's place and size, IDAT before IEND, and a
// declared size that the compressed data can honestly hold (deflate expands at most ~1032:1).
// libpng aborts on several of these (an invalid IHDR is a longjmp to nowhere); refused here, the
// decoder never sees them.

#include "io/checks/file_bytes.h"
#include "io/checks/picture_facts.h"

#include <string>

namespace medclick::detail {

PictureFacts checkPngStructure(const std::string& path, const Bytes& file);

} // namespace medclick::detail
