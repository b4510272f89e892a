#include "io/checks/tiff_structure.h"

#include "io/checks/file_bytes.h"
#include "io/image_io_error.h"

#include <fstream>
#include <set>
#include <vector>

namespace medclick::detail {

namespace {

constexpr unsigned kMaxPages = 65536;          // a volume of 65,536 slices is far beyond any scan
constexpr unsigned kMaxEntriesPerDirectory = 4096;
constexpr std::uint64_t kMaxValuesPerTag = 1u << 24;
constexpr double kMaxCompressionRatio = 5000.0; // LZW at its best is about 2,700:1

enum Tag : std::uint16_t {
  kImageWidth = 256, kImageLength = 257, kBitsPerSample = 258, kCompression = 259, kStripOffsets = 273,
  kSamplesPerPixel = 277, kStripByteCounts = 279, kPlanarConfiguration = 284,
  kTileWidth = 322, kTileLength = 323, kTileOffsets = 324, kTileByteCounts = 325
};

unsigned typeBytes(std::uint16_t type) {
  switch (type) {
  case 1: case 2: case 6: case 7: return 1;   // BYTE, ASCII, SBYTE, UNDEFINED
  case 3: case 8: return 2;                    // SHORT, SSHORT
  case 4: case 9: case 11: case 13: return 4;  // LONG, SLONG, FLOAT, IFD
  case 5: case 10: case 12: return 8;          // RATIONAL, SRATIONAL, DOUBLE
  default: return 0;
  }
}

class TiffFile {
public:
  TiffFile(const std::string& path) : path_(path), in_(path, std::ios::binary), size_(fileSizeOf(path)) {
    if (!in_) throw ImageIOError(path, "cannot open the file");
  }
  std::uint64_t size() const { return size_; }
  void read(std::uint64_t offset, unsigned char* into, std::size_t bytes) {
    if (offset + bytes > size_) throw ImageIOError(path_, "corrupt TIFF: a directory or value at byte " + std::to_string(offset) + " lies outside the file");
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(reinterpret_cast<char*>(into), static_cast<std::streamsize>(bytes));
    if (static_cast<std::size_t>(in_.gcount()) != bytes) throw ImageIOError(path_, "cannot read the file");
  }
  std::uint32_t u32(const unsigned char* p) const { return bigEndian_ ? bigEndian32(p) : littleEndian32(p); }
  std::uint16_t u16(const unsigned char* p) const { return bigEndian_ ? bigEndian16(p) : littleEndian16(p); }
  void setBigEndian(bool big) { bigEndian_ = big; }

private:
  std::string path_;
  std::ifstream in_;
  std::uint64_t size_;
  bool bigEndian_ = false;
};

struct Entry {
  std::uint16_t type = 0;
  std::uint32_t count = 0;
  unsigned char inlineValue[4] = {};
};

std::vector<std::uint64_t> valuesOf(TiffFile& file, const Entry& entry) {
  const unsigned bytes = typeBytes(entry.type);
  std::vector<unsigned char> raw(std::size_t{bytes} * entry.count);
  if (raw.size() <= 4) std::copy(entry.inlineValue, entry.inlineValue + raw.size(), raw.begin());
  else file.read(file.u32(entry.inlineValue), raw.data(), raw.size());
  std::vector<std::uint64_t> values(entry.count);
  for (std::size_t i = 0; i < entry.count; ++i)
    values[i] = bytes == 2 ? file.u16(&raw[2 * i]) : bytes == 4 ? file.u32(&raw[4 * i]) : raw[i];
  return values;
}

void checkPage(const std::string& path, TiffFile& file, std::uint64_t offset, unsigned page, std::uint64_t& next) {
  unsigned char countBytes[2];
  file.read(offset, countBytes, 2);
  const unsigned entries = file.u16(countBytes);
  const std::string where = "corrupt TIFF: page " + std::to_string(page + 1);
  if (entries == 0 || entries > kMaxEntriesPerDirectory) throw ImageIOError(path, where + " has a directory of " + std::to_string(entries) + " entries");
  std::vector<unsigned char> directory(12u * entries + 4);
  file.read(offset + 2, directory.data(), directory.size());
  next = file.u32(&directory[12u * entries]);

  std::vector<std::pair<std::uint16_t, Entry>> tags;
  for (unsigned e = 0; e < entries; ++e) {
    const unsigned char* p = &directory[12u * e];
    Entry entry;
    entry.type = file.u16(p + 2);
    entry.count = file.u32(p + 4);
    std::copy(p + 8, p + 12, entry.inlineValue);
    const unsigned bytes = typeBytes(entry.type);
    if (bytes == 0) continue; // unknown types are skipped by readers too (TIFF 6.0, section 2)
    if (entry.count > kMaxValuesPerTag) throw ImageIOError(path, where + " has a tag with " + std::to_string(entry.count) + " values");
    const std::uint64_t valueBytes = std::uint64_t{bytes} * entry.count;
    if (valueBytes > 4 && file.u32(entry.inlineValue) + valueBytes > file.size())
      throw ImageIOError(path, where + ": the values of tag " + std::to_string(file.u16(p)) + " lie outside the file");
    tags.emplace_back(file.u16(p), entry);
  }
  auto find = [&](std::uint16_t tag) -> const Entry* {
    for (const auto& [t, entry] : tags)
      if (t == tag) return &entry;
    return nullptr;
  };
  auto single = [&](std::uint16_t tag, std::uint64_t fallback) {
    const Entry* entry = find(tag);
    if (!entry || entry->count == 0 || typeBytes(entry->type) > 4) return fallback;
    return valuesOf(file, *entry).front();
  };

  const std::uint64_t width = single(kImageWidth, 0), height = single(kImageLength, 0);
  if (width == 0 || height == 0)
    throw ImageIOError(path, "invalid TIFF header: page " + std::to_string(page + 1) + " has size " + std::to_string(width) + "x" + std::to_string(height));
  const std::uint64_t samples = single(kSamplesPerPixel, 1), bits = single(kBitsPerSample, 1);
  if (samples == 0 || samples > 8 || bits == 0 || bits > 64)
    throw ImageIOError(path, where + " declares " + std::to_string(samples) + " samples of " + std::to_string(bits) + " bits");
  const bool tiled = find(kTileOffsets) != nullptr;
  const Entry* offsets = find(tiled ? kTileOffsets : kStripOffsets);
  const Entry* counts = find(tiled ? kTileByteCounts : kStripByteCounts);
  if (!offsets || !counts) throw ImageIOError(path, where + " has no strip or tile offsets and byte counts");
  for (const Entry* entry : {offsets, counts})
    if (entry->type != 3 && entry->type != 4) throw ImageIOError(path, where + " stores strip offsets or byte counts in a type other than SHORT/LONG");
  const auto offsetValues = valuesOf(file, *offsets), countValues = valuesOf(file, *counts);
  if (offsetValues.size() != countValues.size() || offsetValues.empty())
    throw ImageIOError(path, where + " has " + std::to_string(offsetValues.size()) + " strip offsets but " +
                                 std::to_string(countValues.size()) + " byte counts");
  std::uint64_t stored = 0;
  for (std::size_t s = 0; s < offsetValues.size(); ++s) {
    if (offsetValues[s] + countValues[s] > file.size())
      throw ImageIOError(path, "truncated TIFF: strip " + std::to_string(s + 1) + " of page " + std::to_string(page + 1) + " runs past the end of the file");
    stored += countValues[s];
  }
  // Pixels the page declares; tiles cover whole tiles, which only makes the need larger.
  std::uint64_t needed = 0;
  if (tiled) {
    const std::uint64_t tileWidth = single(kTileWidth, 0), tileLength = single(kTileLength, 0);
    if (tileWidth == 0 || tileLength == 0) throw ImageIOError(path, where + " is tiled with a zero tile size");
    const std::uint64_t tiles = ((width + tileWidth - 1) / tileWidth) * ((height + tileLength - 1) / tileLength);
    needed = tiles * ((tileWidth * samples * bits + 7) / 8) * tileLength;
  } else {
    needed = height * ((width * samples * bits + 7) / 8);
  }
  const bool planar = single(kPlanarConfiguration, 1) == 2;
  if (planar && !tiled) needed = height * ((width * bits + 7) / 8) * samples;
  const std::uint64_t compression = single(kCompression, 1);
  if (compression == 1 && stored < needed)
    throw ImageIOError(path, "truncated TIFF: page " + std::to_string(page + 1) + " needs " + std::to_string(needed) +
                                 " bytes of pixels, its strips hold " + std::to_string(stored));
  if (compression != 1 && static_cast<double>(needed) > static_cast<double>(stored) * kMaxCompressionRatio)
    throw ImageIOError(path, where + " declares " + std::to_string(width) + "x" + std::to_string(height) + " pixels, more than " +
                                 std::to_string(stored) + " compressed bytes can hold");
}

} // namespace

TiffFacts checkTiffStructure(const std::string& path) {
  TiffFile file(path);
  unsigned char header[8];
  if (file.size() < 8) throw ImageIOError(path, "truncated TIFF: too short for its header");
  file.read(0, header, 8);
  file.setBigEndian(header[0] == 'M');
  if (file.u16(header + 2) == 43) throw ImageIOError(path, "unsupported TIFF: BigTIFF");
  if (file.u16(header + 2) != 42) throw ImageIOError(path, "corrupt TIFF: wrong version number");
  std::uint64_t offset = file.u32(header + 4);
  TiffFacts facts;
  std::set<std::uint64_t> visited;
  while (offset != 0) {
    if (offset < 8 || offset >= file.size())
      throw ImageIOError(path, "corrupt TIFF: directory " + std::to_string(facts.pages + 1) + " at byte " + std::to_string(offset) + " lies outside the file");
    if (!visited.insert(offset).second)
      throw ImageIOError(path, "corrupt TIFF: the directory chain loops back to byte " + std::to_string(offset));
    if (facts.pages == kMaxPages) throw ImageIOError(path, "corrupt TIFF: more than " + std::to_string(kMaxPages) + " pages");
    std::uint64_t next = 0;
    checkPage(path, file, offset, facts.pages, next);
    ++facts.pages;
    offset = next;
  }
  if (facts.pages == 0) throw ImageIOError(path, "corrupt TIFF: no image directory");
  return facts;
}

} // namespace medclick::detail
