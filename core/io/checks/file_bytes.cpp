#include "io/checks/file_bytes.h"

#include "io/image_io_error.h"

#include <filesystem>
#include <fstream>

namespace medclick::detail {

std::uint64_t fileSizeOf(const std::string& path) {
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(path, ec);
  if (ec) throw ImageIOError(path, "cannot determine the file size: " + ec.message());
  return bytes;
}

Bytes readWholeFile(const std::string& path, std::uint64_t maxBytes) {
  const std::uint64_t size = fileSizeOf(path);
  if (size > maxBytes)
    throw ImageIOError(path, "file is " + std::to_string(size) + " bytes, more than MedClick reads for this format (" +
                                 std::to_string(maxBytes) + ")");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ImageIOError(path, "cannot open the file");
  Bytes bytes(static_cast<std::size_t>(size));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  if (static_cast<std::uint64_t>(in.gcount()) != size) throw ImageIOError(path, "cannot read the whole file");
  return bytes;
}

Bytes readFilePrefix(const std::string& path, std::size_t count) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ImageIOError(path, "cannot open the file");
  Bytes bytes(count);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(count));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

} // namespace medclick::detail
