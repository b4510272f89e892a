#pragma once
// Bounded byte access for the structure checks: a whole small file in memory, a file's first bytes,
// and big/little-endian integers read from a buffer without running past its end.

#include <cstdint>
#include <string>
#include <vector>

namespace medclick::detail {

using Bytes = std::vector<unsigned char>;

// The whole file; ImageIOError if it is larger than maxBytes or cannot be read completely.
Bytes readWholeFile(const std::string& path, std::uint64_t maxBytes);
// Up to count bytes from the start of the file (fewer if the file is shorter).
Bytes readFilePrefix(const std::string& path, std::size_t count);
std::uint64_t fileSizeOf(const std::string& path);

inline std::uint32_t bigEndian32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}
inline std::uint16_t bigEndian16(const unsigned char* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }
inline std::uint32_t littleEndian32(const unsigned char* p) {
  return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
}
inline std::uint16_t littleEndian16(const unsigned char* p) { return static_cast<std::uint16_t>((p[1] << 8) | p[0]); }

} // namespace medclick::detail
