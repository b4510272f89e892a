#include "io/checks/dicom_structure.h"

#include "io/checks/file_bytes.h"
#include "io/image_io_error.h"

#include <cstring>
#include <optional>

namespace medclick::detail {

namespace {

constexpr std::uint64_t kMaxDicomFileBytes = 4ull << 30;
constexpr int kMaxNesting = 32;
constexpr std::uint32_t kUndefinedLength = 0xFFFFFFFFu;
constexpr std::uint32_t kItem = 0xFFFEE000u, kItemEnd = 0xFFFEE00Du, kSequenceEnd = 0xFFFEE0DDu;
constexpr std::uint32_t kPixelData = 0x7FE00010u;

struct Syntax {
  bool explicitVr = true;
  bool bigEndian = false;
};

// What the walk learns for the pixel-size check.
struct ImageFacts {
  std::uint64_t rows = 0, columns = 0, bitsAllocated = 0, samples = 1, frames = 1;
  std::optional<std::uint64_t> nativePixelBytes; // length of a defined-length pixel data element
};

class Walker {
public:
  Walker(const std::string& path, const Bytes& bytes) : path_(path), b_(bytes) {}

  std::size_t metaGroup(std::size_t at, std::string& transferSyntax) {
    const Syntax meta{true, false};
    while (at + 4 <= b_.size() && u16(at, meta) == 0x0002) {
      std::uint32_t tag = 0, length = 0;
      std::size_t value = header(at, meta, tag, length);
      if (length == kUndefinedLength) fail("the file meta group has an element of undefined length");
      need(value, length);
      if (tag == 0x00020010u) {
        transferSyntax.assign(reinterpret_cast<const char*>(&b_[value]), length);
        while (!transferSyntax.empty() && (transferSyntax.back() == '\0' || transferSyntax.back() == ' ')) transferSyntax.pop_back();
      }
      at = value + length;
    }
    return at;
  }

  // Elements from `at` up to `end` (a defined length) or to an item delimiter (undefined length).
  std::size_t dataSet(std::size_t at, std::size_t end, bool untilItemEnd, const Syntax& syntax, int depth, ImageFacts* facts) {
    if (depth > kMaxNesting) fail("sequences nested more than " + std::to_string(kMaxNesting) + " deep");
    while (at < end) {
      std::uint32_t tag = 0, length = 0;
      std::string vr;
      const std::size_t value = header(at, syntax, tag, length, &vr);
      if (tag == kItemEnd) {
        if (!untilItemEnd) fail("an item delimiter outside an item");
        return value;
      }
      if (tag == kItem || tag == kSequenceEnd) fail("an item tag where a data element was expected");
      if (length == kUndefinedLength) {
        if (tag == kPixelData) at = encapsulatedPixels(value, syntax);
        else if (vr == "SQ" || vr == "UN" || vr.empty()) at = sequence(value, 0, true, syntax, depth);
        else fail("element (" + tagName(tag) + ") has an undefined length but is no sequence");
        continue;
      }
      need(value, length);
      if (vr == "SQ") sequence(value, value + length, false, syntax, depth);
      if (facts && depth == 0) record(tag, value, length, syntax, *facts);
      at = value + length;
    }
    if (untilItemEnd) fail("an item of undefined length is not closed before the end of the file");
    if (at != end) fail("an element runs past the end of its item");
    return at;
  }

private:
  [[noreturn]] void fail(const std::string& reason) const { throw ImageIOError(path_, "corrupt DICOM: " + reason); }

  void need(std::size_t at, std::uint64_t bytes) const {
    if (at + bytes > b_.size()) throw ImageIOError(path_, "truncated DICOM: an element runs past the end of the file (byte " + std::to_string(at) + ")");
  }
  std::uint16_t u16(std::size_t at, const Syntax& s) const {
    need(at, 2);
    return s.bigEndian ? bigEndian16(&b_[at]) : littleEndian16(&b_[at]);
  }
  std::uint32_t u32(std::size_t at, const Syntax& s) const {
    need(at, 4);
    return s.bigEndian ? bigEndian32(&b_[at]) : littleEndian32(&b_[at]);
  }
  static std::string tagName(std::uint32_t tag) {
    const char* digits = "0123456789ABCDEF";
    std::string name = "gggg,eeee";
    for (int i = 0; i < 4; ++i) name[3 - i] = digits[(tag >> (16 + 4 * i)) & 0xF], name[8 - i] = digits[(tag >> (4 * i)) & 0xF];
    return name;
  }

  // Reads a tag, its VR (explicit syntaxes) and its length; returns where the value starts.
  std::size_t header(std::size_t at, const Syntax& s, std::uint32_t& tag, std::uint32_t& length, std::string* vrOut = nullptr) const {
    tag = (std::uint32_t{u16(at, s)} << 16) | u16(at + 2, s);
    if ((tag >> 16) == 0xFFFE || !s.explicitVr) { // items and delimiters never carry a VR (PS3.5 7.5)
      length = u32(at + 4, s);
      return at + 8;
    }
    need(at + 4, 4);
    const std::string vr(reinterpret_cast<const char*>(&b_[at + 4]), 2);
    // An unknown VR sends GDCM into its "GDCM 1.X wrongly encoded" re-read, which then takes some
    // value as a length: gigabytes allocated for a 1 KB file. Only the VRs of PS3.5 6.2 are accepted.
    static const std::string knownVrs = "AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV";
    if (vr[0] < 'A' || vr[0] > 'Z' || vr[1] < 'A' || vr[1] > 'Z' || knownVrs.find(vr) == std::string::npos || knownVrs.find(vr) % 3 != 0)
      fail("element (" + tagName(tag) + ") has no valid VR ('" + vr + "')");
    if (vrOut) *vrOut = vr;
    static const char* longForm[] = {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"};
    for (const char* l : longForm)
      if (vr == l) {
        length = u32(at + 8, s);
        return at + 12;
      }
    length = u16(at + 6, s);
    return at + 8;
  }

  std::size_t sequence(std::size_t at, std::size_t end, bool undefined, const Syntax& s, int depth) {
    while (undefined || at < end) {
      std::uint32_t tag = 0, length = 0;
      const std::size_t value = header(at, Syntax{false, s.bigEndian}, tag, length);
      if (undefined && tag == kSequenceEnd) return value;
      if (tag != kItem) fail("a sequence holds something other than items");
      if (length == kUndefinedLength) at = dataSet(value, b_.size(), true, s, depth + 1, nullptr);
      else {
        need(value, length);
        at = dataSet(value, value + length, false, s, depth + 1, nullptr);
      }
    }
    if (at != end) fail("an item runs past the end of its sequence");
    return at;
  }

  std::size_t encapsulatedPixels(std::size_t at, const Syntax& s) {
    while (true) {
      std::uint32_t tag = 0, length = 0;
      const std::size_t value = header(at, Syntax{false, s.bigEndian}, tag, length);
      if (tag == kSequenceEnd) return value;
      if (tag != kItem || length == kUndefinedLength) fail("encapsulated pixel data holds something other than fragments");
      need(value, length);
      at = value + length;
    }
  }

  void record(std::uint32_t tag, std::size_t value, std::uint32_t length, const Syntax& s, ImageFacts& facts) const {
    switch (tag) {
    case 0x00280010u: if (length >= 2) facts.rows = u16(value, s); break;
    case 0x00280011u: if (length >= 2) facts.columns = u16(value, s); break;
    case 0x00280100u: if (length >= 2) facts.bitsAllocated = u16(value, s); break;
    case 0x00280002u: if (length >= 2) facts.samples = u16(value, s); break;
    case 0x00280008u: { // Number of Frames: an integer string
      const std::string text(reinterpret_cast<const char*>(&b_[value]), length);
      facts.frames = std::strtoull(text.c_str(), nullptr, 10);
      if (facts.frames == 0) facts.frames = 1;
      break;
    }
    case kPixelData: facts.nativePixelBytes = length; break;
    default: break;
    }
  }

  std::string path_;
  const Bytes& b_;
};

} // namespace

bool hasDicomMagic(const std::string& path) {
  const Bytes head = readFilePrefix(path, 132);
  return head.size() == 132 && std::memcmp(&head[128], "DICM", 4) == 0;
}

void checkDicomStructure(const std::string& path) {
  const Bytes bytes = readWholeFile(path, kMaxDicomFileBytes);
  if (bytes.size() < 132 || std::memcmp(&bytes[128], "DICM", 4) != 0)
    throw ImageIOError(path, "not a DICOM file (no DICM after the 128-byte preamble)");
  Walker walker(path, bytes);
  std::string transferSyntax;
  const std::size_t dataStart = walker.metaGroup(132, transferSyntax);
  if (transferSyntax.empty()) throw ImageIOError(path, "corrupt DICOM: the file meta group names no transfer syntax");
  if (transferSyntax == "1.2.840.10008.1.2.1.99") throw ImageIOError(path, "unsupported DICOM: deflated transfer syntax");
  const Syntax syntax{transferSyntax != "1.2.840.10008.1.2", transferSyntax == "1.2.840.10008.1.2.2"};
  ImageFacts facts;
  walker.dataSet(dataStart, bytes.size(), false, syntax, 0, &facts);
  if (facts.nativePixelBytes) {
    const std::uint64_t needed = (facts.rows * facts.columns * facts.bitsAllocated * facts.samples * facts.frames + 7) / 8;
    if (*facts.nativePixelBytes < needed)
      throw ImageIOError(path, "truncated DICOM: " + std::to_string(facts.rows) + "x" + std::to_string(facts.columns) + " pixels need " +
                                   std::to_string(needed) + " bytes, the pixel data holds " + std::to_string(*facts.nativePixelBytes));
  }
}

} // namespace medclick::detail
