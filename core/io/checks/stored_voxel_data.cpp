#include "io/checks/stored_voxel_data.h"

#include "io/checks/deflate_stream.h"
#include "io/checks/file_bytes.h"
#include "io/image_io_error.h"

namespace medclick::detail {

void requireVoxelData(const std::string& headerPath, const StoredVoxelData& data, std::uint64_t neededBytes) {
  const std::uint64_t fileBytes = fileSizeOf(data.file);
  const std::string where = data.file == headerPath ? std::string("the file") : "its data file " + data.file;
  if (data.compressed) {
    const std::uint64_t got = inflatedSize(data.file, data.offset, data.compressedBytes, neededBytes);
    if (got < neededBytes)
      throw ImageIOError(headerPath, "truncated or corrupt: " + where + " decompresses to " + std::to_string(got) +
                                         " bytes, the header declares " + std::to_string(neededBytes));
    return;
  }
  const std::uint64_t available = data.atEnd ? fileBytes : (data.offset <= fileBytes ? fileBytes - data.offset : 0);
  if (available < neededBytes)
    throw ImageIOError(headerPath, "truncated: the header declares " + std::to_string(neededBytes) + " bytes of voxels, " + where +
                                       " holds " + std::to_string(available));
}

} // namespace medclick::detail
