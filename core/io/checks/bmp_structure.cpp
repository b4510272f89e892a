#include "io/checks/bmp_structure.h"

#include "io/image_io_error.h"

#include <cstdlib>

namespace medclick::detail {

namespace {

constexpr std::size_t kFileHeaderBytes = 14;
constexpr std::uint32_t kRgb = 0, kBitFields = 3;

} // namespace

PictureFacts checkBmpStructure(const std::string& path, const Bytes& file) {
  PictureFacts facts;
  if (file.size() < kFileHeaderBytes + 12) throw ImageIOError(path, "truncated BMP: too short for its headers");
  const std::uint32_t pixelOffset = littleEndian32(&file[10]);
  const std::uint32_t infoBytes = littleEndian32(&file[14]);
  if (infoBytes != 12 && infoBytes != 40 && infoBytes != 52 && infoBytes != 56 && infoBytes != 64 && infoBytes != 108 && infoBytes != 124)
    throw ImageIOError(path, "corrupt BMP: an info header of " + std::to_string(infoBytes) + " bytes");
  if (kFileHeaderBytes + infoBytes > file.size()) throw ImageIOError(path, "truncated BMP: the info header runs past the end of the file");
  const unsigned char* info = &file[kFileHeaderBytes];
  long long width = 0, height = 0;
  unsigned planes = 0, bitsPerPixel = 0;
  std::uint32_t compression = kRgb, paletteEntries = 0;
  unsigned paletteEntryBytes = 4;
  if (infoBytes == 12) { // OS/2 BITMAPCOREHEADER: 16-bit sizes, 3-byte palette entries
    width = littleEndian16(info + 4);
    height = littleEndian16(info + 6);
    planes = littleEndian16(info + 8);
    bitsPerPixel = littleEndian16(info + 10);
    paletteEntryBytes = 3;
  } else {
    width = static_cast<std::int32_t>(littleEndian32(info + 4));
    height = static_cast<std::int32_t>(littleEndian32(info + 8));
    planes = littleEndian16(info + 12);
    bitsPerPixel = littleEndian16(info + 14);
    compression = littleEndian32(info + 16);
    paletteEntries = littleEndian32(info + 32);
  }
  const long long rows = std::llabs(height); // negative height: rows stored top-down
  if (width <= 0 || rows == 0 || width > (1 << 30) || rows > (1 << 30))
    throw ImageIOError(path, "invalid BMP header: size " + std::to_string(width) + "x" + std::to_string(height));
  if (planes != 1) throw ImageIOError(path, "corrupt BMP: " + std::to_string(planes) + " colour planes");
  if (bitsPerPixel != 1 && bitsPerPixel != 4 && bitsPerPixel != 8 && bitsPerPixel != 16 && bitsPerPixel != 24 && bitsPerPixel != 32)
    throw ImageIOError(path, "corrupt BMP: " + std::to_string(bitsPerPixel) + " bits per pixel");
  if (compression != kRgb && !(compression == kBitFields && (bitsPerPixel == 16 || bitsPerPixel == 32)))
    throw ImageIOError(path, "unsupported BMP: compression method " + std::to_string(compression) + " (uncompressed BMP is read)");
  if (bitsPerPixel <= 8) {
    const std::uint32_t maxEntries = 1u << bitsPerPixel;
    if (paletteEntries == 0) paletteEntries = maxEntries;
    if (paletteEntries > maxEntries) throw ImageIOError(path, "corrupt BMP: a palette of " + std::to_string(paletteEntries) + " colours");
    const std::uint64_t paletteEnd = kFileHeaderBytes + infoBytes + std::uint64_t{paletteEntries} * paletteEntryBytes;
    if (paletteEnd > file.size()) throw ImageIOError(path, "truncated BMP: the palette runs past the end of the file");
  }
  const std::uint64_t rowBytes = ((static_cast<std::uint64_t>(width) * bitsPerPixel + 31) / 32) * 4;
  if (pixelOffset < kFileHeaderBytes + infoBytes || pixelOffset >= file.size())
    throw ImageIOError(path, "corrupt BMP: the pixel data offset " + std::to_string(pixelOffset) + " lies outside the file");
  if (rowBytes * static_cast<std::uint64_t>(rows) > file.size() - pixelOffset)
    throw ImageIOError(path, "truncated BMP: " + std::to_string(width) + "x" + std::to_string(rows) + " pixels need " +
                                 std::to_string(rowBytes * rows) + " bytes, the file holds " + std::to_string(file.size() - pixelOffset));
  facts.width = static_cast<std::uint32_t>(width);
  facts.height = static_cast<std::uint32_t>(rows);
  facts.channels = bitsPerPixel == 32 ? 4 : 3;
  return facts;
}

} // namespace medclick::detail
