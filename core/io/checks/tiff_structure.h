#pragma once
// TIFF structure check (TIFF 6.0, section 2): the chain of image file directories is walked with
// loop detection and a bound on its length (an IFD that points to itself made ITK's reader spin
// forever), every directory and every out-of-line tag value lies inside the file, each page has a
// non-zero size, and its strips or tiles lie inside the file and hold the pixels the page declares
// (uncompressed), or could honestly expand to them (compressed). BigTIFF is refused.

#include <string>

namespace medclick::detail {

struct TiffFacts {
  unsigned pages = 0;
};

TiffFacts checkTiffStructure(const std::string& path);

} // namespace medclick::detail
