#pragma once
// Where a header says its voxels are, and the check that they are all there: raw data must hold every
// byte the header declares, compressed data must decompress to them. Shared by MetaImage and NRRD.

#include <cstdint>
#include <string>

namespace medclick::detail {

struct StoredVoxelData {
  std::string file;                  // the header file itself (attached data) or its confined data file
  std::uint64_t offset = 0;          // where the data starts
  bool atEnd = false;                // the data is the file's last bytes (MetaImage HeaderSize -1, NRRD byte skip -1)
  bool compressed = false;           // zlib or gzip
  std::uint64_t compressedBytes = 0; // 0: to the end of the file
};

void requireVoxelData(const std::string& headerPath, const StoredVoxelData& data, std::uint64_t neededBytes);

} // namespace medclick::detail
