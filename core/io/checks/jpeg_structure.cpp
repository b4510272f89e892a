#include "io/checks/jpeg_structure.h"

#include "io/image_io_error.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace medclick::detail {

namespace {

constexpr unsigned char kSOI = 0xD8, kEOI = 0xD9, kSOS = 0xDA, kDHT = 0xC4, kDQT = 0xDB, kDRI = 0xDD;

bool isFrameHeader(unsigned char marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != kDHT && marker != 0xC8 && marker != 0xCC;
}
bool isRestart(unsigned char marker) { return marker >= 0xD0 && marker <= 0xD7; }

std::string markerName(unsigned char marker) {
  const char* digits = "0123456789ABCDEF";
  return std::string("0xFF") + digits[marker >> 4] + digits[marker & 0x0F];
}

// Huffman tables (B.2.4.2): per table a class/id byte, 16 code counts, then that many values.
void checkHuffmanTables(const std::string& path, const unsigned char* p, std::size_t length) {
  std::size_t at = 0;
  while (at < length) {
    if (at + 17 > length) throw ImageIOError(path, "corrupt JPEG: a Huffman table is cut short");
    if ((p[at] >> 4) > 1 || (p[at] & 0x0F) > 3) throw ImageIOError(path, "corrupt JPEG: a Huffman table has an invalid class or id");
    std::size_t codes = 0;
    for (int i = 1; i <= 16; ++i) codes += p[at + i];
    if (codes > 256 || at + 17 + codes > length) throw ImageIOError(path, "corrupt JPEG: a Huffman table declares more codes than it holds");
    at += 17 + codes;
  }
}

// Quantisation tables (B.2.4.1): a precision/id byte, then 64 values of 1 or 2 bytes.
void checkQuantisationTables(const std::string& path, const unsigned char* p, std::size_t length) {
  std::size_t at = 0;
  while (at < length) {
    const unsigned precision = p[at] >> 4;
    if (precision > 1 || (p[at] & 0x0F) > 3) throw ImageIOError(path, "corrupt JPEG: a quantisation table has an invalid precision or id");
    const std::size_t bytes = 1 + 64 * (precision + 1);
    if (at + bytes > length) throw ImageIOError(path, "corrupt JPEG: a quantisation table is cut short");
    at += bytes;
  }
}

} // namespace

PictureFacts checkJpegStructure(const std::string& path, const Bytes& file) {
  PictureFacts facts;
  if (file.size() < 4 || file[0] != 0xFF || file[1] != kSOI) throw ImageIOError(path, "corrupt JPEG: no start-of-image marker");
  bool sawFrame = false, sawEnd = false;
  unsigned scans = 0, maxH = 1, maxV = 1;
  std::uint64_t codedBytes = 0;
  std::size_t at = 2;
  while (!sawEnd) {
    if (at >= file.size()) throw ImageIOError(path, "truncated JPEG: the file ends before its end-of-image marker");
    if (file[at] != 0xFF) throw ImageIOError(path, "corrupt JPEG: a marker was expected at byte " + std::to_string(at));
    while (at < file.size() && file[at] == 0xFF) ++at; // fill bytes (B.1.1.2)
    if (at >= file.size()) throw ImageIOError(path, "truncated JPEG: the file ends inside a marker");
    const unsigned char marker = file[at++];
    if (marker == kEOI) {
      sawEnd = true;
      break;
    }
    if (marker == kSOI || marker == 0x00 || isRestart(marker) || marker == 0x01)
      throw ImageIOError(path, "corrupt JPEG: unexpected marker " + markerName(marker) + " between segments");
    if (at + 2 > file.size()) throw ImageIOError(path, "truncated JPEG: the file ends inside a segment length");
    const std::size_t length = bigEndian16(&file[at]);
    if (length < 2 || at + length > file.size())
      throw ImageIOError(path, "truncated or corrupt JPEG: a segment of " + std::to_string(length) + " bytes runs past the end of the file");
    const unsigned char* p = &file[at + 2];
    const std::size_t payload = length - 2;

    if (isFrameHeader(marker)) {
      if (sawFrame) throw ImageIOError(path, "corrupt JPEG: two frame headers");
      if (marker == 0xC3 || marker == 0xC7 || marker == 0xCB || marker == 0xCF)
        throw ImageIOError(path, "unsupported JPEG: lossless JPEG");
      if (payload < 6) throw ImageIOError(path, "corrupt JPEG: the frame header is cut short");
      const unsigned precision = p[0];
      facts.height = bigEndian16(p + 1);
      facts.width = bigEndian16(p + 3);
      const unsigned components = p[5];
      if (precision != 8) throw ImageIOError(path, "unsupported JPEG: " + std::to_string(precision) + "-bit samples (8-bit JPEG is read)");
      if (facts.width == 0 || facts.height == 0)
        throw ImageIOError(path, "invalid JPEG header: size " + std::to_string(facts.width) + "x" + std::to_string(facts.height));
      if (components != 1 && components != 3 && components != 4)
        throw ImageIOError(path, "unsupported JPEG: " + std::to_string(components) + " components");
      if (payload != 6 + 3 * components) throw ImageIOError(path, "corrupt JPEG: the frame header's length does not match its components");
      for (unsigned c = 0; c < components; ++c) {
        const unsigned h = p[7 + 3 * c] >> 4, v = p[7 + 3 * c] & 0x0F, table = p[8 + 3 * c];
        if (h < 1 || h > 4 || v < 1 || v > 4 || table > 3) throw ImageIOError(path, "corrupt JPEG: invalid sampling factors or table id");
        maxH = std::max(maxH, h);
        maxV = std::max(maxV, v);
      }
      facts.channels = components == 1 ? 1 : 3;
      sawFrame = true;
    } else if (marker == kDHT) {
      checkHuffmanTables(path, p, payload);
    } else if (marker == kDQT) {
      checkQuantisationTables(path, p, payload);
    } else if (marker == kDRI) {
      if (payload != 2) throw ImageIOError(path, "corrupt JPEG: a restart interval segment of the wrong length");
    } else if (marker == 0xE0 && payload >= 12 && std::memcmp(p, "JFIF\0", 5) == 0) {
      // JFIF density (units 1: dots per inch, 2: per cm), taken over as mm spacing as ITK's JPEG reader does.
      const unsigned units = p[7], x = bigEndian16(p + 8), y = bigEndian16(p + 10);
      if (x > 0 && y > 0 && (units == 1 || units == 2)) {
        const double mmPerUnit = units == 1 ? 25.4 : 10.0;
        facts.spacing = {mmPerUnit / x, mmPerUnit / y};
      }
    }
    at += length;

    if (marker == kSOS) {
      if (!sawFrame) throw ImageIOError(path, "corrupt JPEG: a scan before the frame header");
      if (payload < 1 || payload != 4 + 2 * std::size_t{p[0]} || p[0] < 1 || p[0] > 4)
        throw ImageIOError(path, "corrupt JPEG: a scan header of the wrong length");
      ++scans;
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart.
      const std::size_t start = at;
      while (true) {
        if (at + 1 >= file.size()) throw ImageIOError(path, "truncated JPEG: the file ends inside the compressed data");
        if (file[at] == 0xFF && file[at + 1] != 0x00 && !isRestart(file[at + 1])) break;
        ++at;
      }
      codedBytes += at - start;
    }
  }
  if (!sawFrame || scans == 0) throw ImageIOError(path, "corrupt JPEG: no frame header or no scan");
  const double mcus = std::ceil(facts.width / (8.0 * maxH)) * std::ceil(facts.height / (8.0 * maxV));
  if (mcus > static_cast<double>(codedBytes) * 8.0)
    throw ImageIOError(path, "corrupt JPEG: " + std::to_string(facts.width) + "x" + std::to_string(facts.height) +
                                 " pixels cannot come from " + std::to_string(codedBytes) + " bytes of compressed data");
  return facts;
}

} // namespace medclick::detail
