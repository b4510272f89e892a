#include "io/checks/deflate_stream.h"

#include "io/checks/file_bytes.h"
#include "io/image_io_error.h"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <vector>

namespace medclick::detail {

std::uint64_t inflatedSize(const std::string& path, std::uint64_t offset, std::uint64_t compressedBytes, std::uint64_t limit) {
  const std::uint64_t fileBytes = fileSizeOf(path);
  if (offset >= fileBytes) throw ImageIOError(path, "the compressed data starts beyond the end of the file");
  std::uint64_t remaining = compressedBytes == 0 ? fileBytes - offset : std::min(compressedBytes, fileBytes - offset);
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 32) != Z_OK) throw ImageIOError(path, "cannot start zlib"); // 15 + 32: zlib or gzip header
  std::vector<unsigned char> input(1 << 16), output(1 << 16);
  std::uint64_t produced = 0;
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    if (stream.avail_in == 0) {
      if (remaining == 0) break;
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(input.size(), remaining));
      in.read(reinterpret_cast<char*>(input.data()), static_cast<std::streamsize>(want));
      const auto got = static_cast<std::size_t>(in.gcount());
      if (got == 0) break;
      remaining -= got;
      stream.next_in = input.data();
      stream.avail_in = static_cast<uInt>(got);
    }
    stream.next_out = output.data();
    stream.avail_out = static_cast<uInt>(output.size());
    status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
      const std::string reason = stream.msg ? stream.msg : "invalid data";
      inflateEnd(&stream);
      throw ImageIOError(path, "the header declares compressed data, but it does not decompress (" + reason + ")");
    }
    produced += output.size() - stream.avail_out;
    if (produced > limit) { // more voxels than declared: the header and the data disagree
      inflateEnd(&stream);
      throw ImageIOError(path, "the compressed data decompresses to more than the " + std::to_string(limit) + " bytes the header declares");
    }
    if (status == Z_BUF_ERROR && stream.avail_in != 0) { // no progress with input left: nothing more will come
      inflateEnd(&stream);
      throw ImageIOError(path, "the header declares compressed data, but it does not decompress");
    }
  }
  inflateEnd(&stream);
  if (status != Z_STREAM_END)
    throw ImageIOError(path, "truncated or corrupt: the compressed data ends after " + std::to_string(produced) + " decompressed bytes");
  return produced;
}

} // namespace medclick::detail
