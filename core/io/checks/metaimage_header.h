#pragma once
// MetaImage (.mha/.mhd) header check: "Key = Value" lines up to ElementDataFile, with NDims,
// DimSize, ElementType and the geometry fields parsed strictly (a flipped byte in the header made
// MetaIO abort), the data file confined to the header's folder (detached_data_file.h), and the
// voxels really there: raw data long enough, CompressedData = True data that decompresses.

#include <string>

namespace medclick::detail {

void checkMetaImageHeader(const std::string& path);

} // namespace medclick::detail
