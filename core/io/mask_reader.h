#pragma once
// Reads a label mask or label map. Integer labels 0..65535 (uint8 or uint16 files) are kept; a file holding only 0 and 255 (the usual PNG
// mask) is read as a binary 0/1 mask. With an expected geometry, a mask on another grid is refused.

#include "image/label_mask.h"

#include <string>

namespace medclick {

LabelMask readMask(const std::string& path);
LabelMask readMaskFor(const std::string& path, const ImageGeometry& imageGeometry);

} // namespace medclick
