#include "io/checks/metaimage_header.h"

#include "io/checks/detached_data_file.h"
#include "io/checks/file_bytes.h"
#include "io/checks/header_text.h"
#include "io/checks/stored_voxel_data.h"
#include "io/image_io_error.h"

#include <map>

namespace medclick::detail {

namespace {

constexpr std::size_t kMaxMetaIOText = 250;

// MetaIO's element types and their sizes (metaTypes.h); an _ARRAY suffix has the same size per channel.
std::uint64_t elementBytesOf(std::string type) {
  static const std::map<std::string, std::uint64_t> sizes = {
      {"MET_CHAR", 1}, {"MET_UCHAR", 1}, {"MET_SHORT", 2}, {"MET_USHORT", 2}, {"MET_INT", 4}, {"MET_UINT", 4},
      {"MET_LONG", 4}, {"MET_ULONG", 4}, {"MET_LONG_LONG", 8}, {"MET_ULONG_LONG", 8}, {"MET_FLOAT", 4}, {"MET_DOUBLE", 8}};
  const std::string suffix = "_ARRAY";
  if (type.size() > suffix.size() && type.compare(type.size() - suffix.size(), suffix.size(), suffix) == 0)
    type.resize(type.size() - suffix.size());
  const auto found = sizes.find(type);
  return found == sizes.end() ? 0 : found->second;
}

bool isTrue(const std::string& value) { return value == "True" || value == "true" || value == "1"; }
bool isBoolean(const std::string& value) {
  return isTrue(value) || value == "False" || value == "false" || value == "0";
}

void requireReals(const std::string& path, const std::map<std::string, std::string>& fields, const char* key, std::size_t count) {
  const auto found = fields.find(key);
  if (found == fields.end()) return;
  const auto values = words(found->second);
  double v = 0;
  if (values.size() != count) throw ImageIOError(path, std::string("corrupt MetaImage header: ") + key + " needs " + std::to_string(count) + " numbers");
  for (const auto& w : values)
    if (!parseReal(w, v)) throw ImageIOError(path, std::string("corrupt MetaImage header: ") + key + " holds '" + w + "'");
}

// MetaIO reads CompressedDataSize bytes as they are said: more than the file holds is a lie.
void requireCompressedSizeInside(const std::string& path, const StoredVoxelData& data) {
  if (!data.compressed || data.compressedBytes == 0) return;
  const std::uint64_t fileBytes = fileSizeOf(data.file);
  if (data.offset > fileBytes || data.compressedBytes > fileBytes - data.offset)
    throw ImageIOError(path, "truncated: CompressedDataSize is " + std::to_string(data.compressedBytes) + " bytes, the file holds " +
                                 std::to_string(data.offset > fileBytes ? 0 : fileBytes - data.offset) + " after the header");
}

} // namespace

void checkMetaImageHeader(const std::string& path) {
  const Bytes head = readFilePrefix(path, kMaxHeaderBytes);
  std::map<std::string, std::string> fields;
  std::size_t at = 0, dataStart = 0;
  std::string dataFile;
  while (true) {
    const auto* begin = head.data() + at;
    std::size_t end = at;
    while (end < head.size() && head[end] != '\n') ++end;
    if (end == head.size() && head.size() == kMaxHeaderBytes) throw ImageIOError(path, "corrupt MetaImage header: no ElementDataFile in its first MiB");
    if (end == head.size() && at == head.size()) throw ImageIOError(path, "corrupt MetaImage header: it ends without ElementDataFile");
    const std::string line(reinterpret_cast<const char*>(begin), end - at);
    at = end < head.size() ? end + 1 : end;
    if (trimmed(line).empty()) continue;
    const auto equals = line.find('=');
    if (equals == std::string::npos) throw ImageIOError(path, "corrupt MetaImage header: a line without '=' (" + trimmed(line).substr(0, 40) + ")");
    const std::string key = trimmed(line.substr(0, equals)), value = trimmed(line.substr(equals + 1));
    // MetaIO copies names and values into fixed 255-byte buffers (strcpy): a longer one overflows them.
    if (key.size() > kMaxMetaIOText || value.size() > kMaxMetaIOText)
      throw ImageIOError(path, "corrupt MetaImage header: a field name or value longer than " + std::to_string(kMaxMetaIOText) + " characters");
    for (const char c : key)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != ' ' && c != '-' && c != '.')
        throw ImageIOError(path, "corrupt MetaImage header: the key '" + key.substr(0, 40) + "' holds odd characters");
    fields[key] = value;
    if (key == "ElementDataFile") {
      dataFile = value;
      dataStart = at;
      break;
    }
  }

  long long dimensions = 0;
  if (!fields.count("NDims") || !parseInteger(fields["NDims"], dimensions) || dimensions < 1 || dimensions > 8)
    throw ImageIOError(path, "corrupt MetaImage header: NDims must be a number from 1 to 8");
  const std::vector<long long> extents = parseExtents(path, "MetaImage", "DimSize", fields["DimSize"], dimensions);
  const std::uint64_t elementBytes = elementBytesOf(fields["ElementType"]);
  if (elementBytes == 0) throw ImageIOError(path, "corrupt MetaImage header: unknown ElementType '" + fields["ElementType"].substr(0, 40) + "'");
  long long channels = 1;
  if (fields.count("ElementNumberOfChannels") && (!parseInteger(fields["ElementNumberOfChannels"], channels) || channels < 1 || channels > 64))
    throw ImageIOError(path, "corrupt MetaImage header: ElementNumberOfChannels must be 1 to 64");
  const std::size_t n = static_cast<std::size_t>(dimensions);
  for (const char* key : {"ElementSpacing", "ElementSize", "Offset", "Position", "Origin", "CenterOfRotation"}) requireReals(path, fields, key, n);
  for (const char* key : {"TransformMatrix", "Rotation", "Orientation"}) requireReals(path, fields, key, n * n);
  for (const char* key : {"BinaryData", "BinaryDataByteOrderMSB", "ElementByteOrderMSB", "CompressedData"})
    if (fields.count(key) && !isBoolean(fields[key])) throw ImageIOError(path, std::string("corrupt MetaImage header: ") + key + " must be True or False");
  if (fields.count("BinaryData") && !isTrue(fields["BinaryData"])) throw ImageIOError(path, "unsupported MetaImage: ASCII voxel data (BinaryData = False)");

  std::uint64_t needed = 0;
  if (!checkedVoxelBytes(extents, elementBytes * static_cast<std::uint64_t>(channels), needed))
    throw ImageIOError(path, "header declares more voxels than MedClick can address");
  long long headerSize = 0;
  if (fields.count("HeaderSize") && (!parseInteger(fields["HeaderSize"], headerSize) || headerSize < -1))
    throw ImageIOError(path, "corrupt MetaImage header: HeaderSize must be -1 or a byte count");
  const bool compressed = fields.count("CompressedData") && isTrue(fields["CompressedData"]);
  long long compressedBytes = 0;
  if (compressed && fields.count("CompressedDataSize") && (!parseInteger(fields["CompressedDataSize"], compressedBytes) || compressedBytes < 1))
    throw ImageIOError(path, "corrupt MetaImage header: CompressedDataSize must be a positive byte count");

  StoredVoxelData data;
  data.compressed = compressed;
  data.compressedBytes = static_cast<std::uint64_t>(compressedBytes);
  data.atEnd = headerSize == -1;
  const auto dataWords = words(dataFile);
  if (dataWords.empty()) throw ImageIOError(path, "corrupt MetaImage header: ElementDataFile is empty");
  if (dataFile == "LOCAL") {
    data.file = path;
    // MetaIO counts HeaderSize from the start of the file that holds the data, here the header's own.
    data.offset = headerSize > 0 ? static_cast<std::uint64_t>(headerSize) : dataStart;
    requireCompressedSizeInside(path, data);
    requireVoxelData(path, data, needed);
    return;
  }
  if (dataWords.front() == "LIST" || dataFile.find('%') != std::string::npos)
    throw ImageIOError(path, "unsupported MetaImage: voxels split over several files (ElementDataFile = " + dataFile.substr(0, 60) + ")");
  data.file = confinedDataFile(path, dataFile);
  data.offset = headerSize > 0 ? static_cast<std::uint64_t>(headerSize) : 0;
  requireCompressedSizeInside(path, data);
  requireVoxelData(path, data, needed);
}

} // namespace medclick::detail
