#include "io/checks/png_structure.h"

#include "io/image_io_error.h"

#include <zlib.h>

#include <cstring>

namespace medclick::detail {

namespace {

constexpr std::size_t kSignatureBytes = 8;
constexpr std::uint32_t kMaxChunkLength = 0x7fffffffu; // PNG spec 5.3
constexpr double kMaxDeflateRatio = 1100.0;

bool validBitDepth(unsigned colourType, unsigned bitDepth) {
  switch (colourType) {
  case 0: return bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16;
  case 3: return bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
  case 2: case 4: case 6: return bitDepth == 8 || bitDepth == 16;
  default: return false;
  }
}

unsigned channelsOf(unsigned colourType) {
  switch (colourType) {
  case 0: return 1;
  case 2: return 3;
  case 3: return 3; // palette entries are colours
  case 4: return 2;
  default: return 4;
  }
}

bool isLetter(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

} // namespace

PictureFacts checkPngStructure(const std::string& path, const Bytes& file) {
  PictureFacts facts;
  unsigned colourType = 0;
  bool sawHeader = false, sawPalette = false, sawData = false, dataEnded = false, sawEnd = false;
  std::uint64_t compressedBytes = 0;
  std::size_t at = kSignatureBytes;
  while (!sawEnd) {
    if (at + 12 > file.size())
      throw ImageIOError(path, "truncated PNG: the file ends " + std::string(sawData ? "before IEND" : "before any image data"));
    const std::uint32_t length = bigEndian32(&file[at]);
    const unsigned char* type = &file[at + 4];
    if (length > kMaxChunkLength) throw ImageIOError(path, "corrupt PNG: a chunk declares " + std::to_string(length) + " bytes");
    if (!isLetter(type[0]) || !isLetter(type[1]) || !isLetter(type[2]) || !isLetter(type[3]))
      throw ImageIOError(path, "corrupt PNG: a chunk type is not four letters (at byte " + std::to_string(at) + ")");
    const std::string name(reinterpret_cast<const char*>(type), 4);
    if (at + 12 + std::uint64_t{length} > file.size())
      throw ImageIOError(path, "truncated PNG: chunk " + name + " runs past the end of the file");
    const unsigned char* data = type + 4;
    const std::uint32_t storedCrc = bigEndian32(data + length);
    const auto crc = static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0), type, length + 4));
    if (crc != storedCrc) throw ImageIOError(path, "corrupt PNG: chunk " + name + " fails its CRC check");

    if (!sawHeader && name != "IHDR") throw ImageIOError(path, "corrupt PNG: the first chunk is " + name + ", not IHDR");
    if (sawData && name != "IDAT") dataEnded = true;
    if (name == "IHDR") {
      if (sawHeader) throw ImageIOError(path, "corrupt PNG: two IHDR chunks");
      if (length != 13) throw ImageIOError(path, "corrupt PNG: IHDR has " + std::to_string(length) + " bytes, not 13");
      facts.width = bigEndian32(data);
      facts.height = bigEndian32(data + 4);
      facts.bitsPerChannel = data[8];
      colourType = data[9];
      if (facts.width == 0 || facts.height == 0 || facts.width > kMaxChunkLength || facts.height > kMaxChunkLength)
        throw ImageIOError(path, "invalid PNG header: size " + std::to_string(facts.width) + "x" + std::to_string(facts.height));
      if (!validBitDepth(colourType, facts.bitsPerChannel))
        throw ImageIOError(path, "invalid PNG header: bit depth " + std::to_string(facts.bitsPerChannel) + " with colour type " +
                                     std::to_string(colourType));
      if (data[10] != 0 || data[11] != 0 || data[12] > 1)
        throw ImageIOError(path, "invalid PNG header: unknown compression, filter or interlace method");
      facts.channels = channelsOf(colourType);
      sawHeader = true;
    } else if (name == "PLTE") {
      if (sawPalette || sawData) throw ImageIOError(path, "corrupt PNG: PLTE repeated or after the image data");
      if (colourType == 0 || colourType == 4) throw ImageIOError(path, "corrupt PNG: a grey image with a palette");
      if (length == 0 || length % 3 != 0 || length / 3 > 256 ||
          (colourType == 3 && length / 3 > (1u << facts.bitsPerChannel)))
        throw ImageIOError(path, "corrupt PNG: a palette of " + std::to_string(length) + " bytes");
      sawPalette = true;
    } else if (name == "IDAT") {
      if (dataEnded) throw ImageIOError(path, "corrupt PNG: IDAT chunks are not consecutive");
      if (colourType == 3 && !sawPalette) throw ImageIOError(path, "corrupt PNG: a palette image without PLTE");
      sawData = true;
      compressedBytes += length;
    } else if (name == "IEND") {
      if (!sawData) throw ImageIOError(path, "corrupt PNG: no image data (IDAT) before IEND");
      sawEnd = true;
    } else if (name == "pHYs" && length == 9 && data[8] == 1) {
      // Pixels per metre (PNG spec 11.3.5.3); ITK's PNG reader turns it into mm spacing the same way.
      const std::uint32_t x = bigEndian32(data), y = bigEndian32(data + 4);
      if (x > 0 && y > 0) facts.spacing = {1000.0 / x, 1000.0 / y};
    } else if (!(type[0] & 0x20)) {
      throw ImageIOError(path, "unsupported PNG: unknown critical chunk " + name);
    }
    at += 12 + std::size_t{length};
  }

  const unsigned bitsPerPixel = (colourType == 3 ? 1 : facts.channels) * facts.bitsPerChannel;
  const double rowBytes = 1.0 + (static_cast<double>(facts.width) * bitsPerPixel + 7) / 8; // + the filter byte
  const double rawBytes = rowBytes * facts.height;
  if (rawBytes > static_cast<double>(compressedBytes) * kMaxDeflateRatio)
    throw ImageIOError(path, "corrupt PNG: " + std::to_string(facts.width) + "x" + std::to_string(facts.height) + " pixels cannot come from " +
                                 std::to_string(compressedBytes) + " bytes of compressed data");
  return facts;
}

} // namespace medclick::detail
