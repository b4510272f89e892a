#pragma once
// JPEG structure check (ITU T.81 Annex B): SOI, every marker segment's length inside the file, one
// frame header (SOF) with a non-zero size and 1, 3 or 4 components, scans only after it, the
// entropy-coded data of each scan running to a marker, and EOI at the end. A file cut anywhere lacks
// its EOI and is refused, where libjpeg would fill the rest with grey and call it an image. The
// declared size must fit the coded data: each MCU costs at least one bit.

#include "io/checks/file_bytes.h"
#include "io/checks/picture_facts.h"

#include <string>

namespace medclick::detail {

PictureFacts checkJpegStructure(const std::string& path, const Bytes& file);

} // namespace medclick::detail
