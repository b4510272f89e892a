#pragma once
// Decompresses a zlib or gzip stream once, without keeping the output, to learn what it really holds:
// a header that says "compressed" over raw bytes, a stream cut short or one that inflates to less
// than the header declares is refused before ITK's readers half-fill an image from it.

#include <cstdint>
#include <string>

namespace medclick::detail {

// Bytes the stream starting at `offset` of `path` inflates to, reading at most `compressedBytes`
// of input (0: to the end of the file). ImageIOError if the data is not one complete zlib/gzip
// stream (its end marker and checksum included), or inflates to more than `limit` bytes.
std::uint64_t inflatedSize(const std::string& path, std::uint64_t offset, std::uint64_t compressedBytes, std::uint64_t limit);

} // namespace medclick::detail
