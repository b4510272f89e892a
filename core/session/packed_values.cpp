#include "session/packed_values.h"

#include "image/label_mask.h"

#include <zlib.h>

#include <stdexcept>

namespace medclick {

template <typename T>
std::string packValues(const std::vector<T>& values) {
  const auto sourceBytes = static_cast<uLong>(values.size() * sizeof(T));
  uLongf compressedBytes = compressBound(sourceBytes);
  std::string buffer(compressedBytes, '\0');
  if (compress2(reinterpret_cast<Bytef*>(buffer.data()), &compressedBytes, reinterpret_cast<const Bytef*>(values.data()), sourceBytes,
                Z_BEST_SPEED) != Z_OK)
    throw std::runtime_error("compression of voxel values failed");
  // A new string of the compressed length: resizing the buffer would keep its worst-case capacity,
  // and whoever keeps many of them would hold the uncompressed size of each.
  return std::string(buffer.data(), compressedBytes);
}

template <typename T>
std::vector<T> unpackValues(const std::string& packed, std::size_t count) {
  std::vector<T> values(count);
  uLongf bytes = static_cast<uLongf>(count * sizeof(T));
  if (uncompress(reinterpret_cast<Bytef*>(values.data()), &bytes, reinterpret_cast<const Bytef*>(packed.data()),
                 static_cast<uLong>(packed.size())) != Z_OK ||
      bytes != count * sizeof(T))
    throw std::runtime_error("corrupt packed voxel values");
  return values;
}

template std::string packValues<float>(const std::vector<float>&);
template std::string packValues<Label>(const std::vector<Label>&);
template std::vector<float> unpackValues<float>(const std::string&, std::size_t);
template std::vector<Label> unpackValues<Label>(const std::string&, std::size_t);

} // namespace medclick
