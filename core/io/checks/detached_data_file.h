#pragma once
// The one rule for headers whose voxels live in another file (.mhd ElementDataFile, .nhdr data file):
// the data file is named relative to the header's folder and lies in it or below it. Absolute names,
// '..' and symbolic links that lead out of the folder are refused, so that a header can neither read
// /etc/passwd as an image nor reach into another patient's folder.

#include <string>

namespace medclick::detail {

// The data file's path; ImageIOError naming the header if the name breaks the rule or names no file.
std::string confinedDataFile(const std::string& headerPath, const std::string& dataName);

} // namespace medclick::detail
