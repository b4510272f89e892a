#pragma once
// NRRD (.nrrd/.nhdr) header check (NRRD format 0001-0005): "field: value" lines up to the blank line,
// with dimension, sizes, type and encoding parsed strictly; a detached "data file" confined to the
// header's folder (detached_data_file.h); the voxels really there: raw data long enough, gzip data
// that decompresses to the declared size (a header saying gzip over raw data was read as an image),
// text data long enough to hold every value. bzip2 and multi-file data are refused.

#include <string>

namespace medclick::detail {

void checkNrrdHeader(const std::string& path);

} // namespace medclick::detail
