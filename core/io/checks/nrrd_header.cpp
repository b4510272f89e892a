#include "io/checks/nrrd_header.h"

#include "io/checks/detached_data_file.h"
#include "io/checks/file_bytes.h"
#include "io/checks/header_text.h"
#include "io/checks/stored_voxel_data.h"
#include "io/image_io_error.h"

#include <fstream>
#include <map>
#include <set>

namespace medclick::detail {

namespace {

std::uint64_t typeBytesOf(const std::string& type) {
  static const std::map<std::string, std::uint64_t> sizes = {
      {"signed char", 1}, {"int8", 1}, {"int8_t", 1}, {"uchar", 1}, {"unsigned char", 1}, {"uint8", 1}, {"uint8_t", 1},
      {"short", 2}, {"short int", 2}, {"signed short", 2}, {"signed short int", 2}, {"int16", 2}, {"int16_t", 2},
      {"ushort", 2}, {"unsigned short", 2}, {"unsigned short int", 2}, {"uint16", 2}, {"uint16_t", 2},
      {"int", 4}, {"signed int", 4}, {"int32", 4}, {"int32_t", 4}, {"uint", 4}, {"unsigned int", 4}, {"uint32", 4}, {"uint32_t", 4},
      {"longlong", 8}, {"long long", 8}, {"long long int", 8}, {"signed long long", 8}, {"signed long long int", 8},
      {"int64", 8}, {"int64_t", 8}, {"ulonglong", 8}, {"unsigned long long", 8}, {"unsigned long long int", 8},
      {"uint64", 8}, {"uint64_t", 8}, {"float", 4}, {"double", 8}};
  const auto found = sizes.find(type);
  return found == sizes.end() ? 0 : found->second;
}

// Where "line skip" lines end in the data file (bounded: the skip itself is part of what is checked).
std::uint64_t afterLines(const std::string& headerPath, const std::string& file, std::uint64_t start, long long lines) {
  if (lines <= 0) return start;
  std::ifstream in(file, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(start));
  std::uint64_t position = start;
  for (char c; lines > 0 && in.get(c); ++position)
    if (c == '\n') --lines;
  if (lines > 0) throw ImageIOError(headerPath, "truncated: the data file ends inside the lines the header skips");
  return position;
}

} // namespace

void checkNrrdHeader(const std::string& path) {
  const Bytes head = readFilePrefix(path, kMaxHeaderBytes);
  std::map<std::string, std::string> fields;
  std::size_t at = 0;
  bool first = true, ended = false;
  while (at < head.size()) {
    std::size_t end = at;
    while (end < head.size() && head[end] != '\n') ++end;
    if (end == head.size() && head.size() == kMaxHeaderBytes) throw ImageIOError(path, "corrupt NRRD header: it does not end in its first MiB");
    std::string line(reinterpret_cast<const char*>(head.data() + at), end - at);
    at = end < head.size() ? end + 1 : end;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (first) {
      if (line.size() != 8 || line.compare(0, 7, "NRRD000") != 0 || line[7] < '1' || line[7] > '5')
        throw ImageIOError(path, "not a recognised image: the NRRD magic line is '" + line.substr(0, 20) + "'");
      first = false;
      continue;
    }
    if (line.empty()) {
      ended = true;
      break;
    }
    if (line[0] == '#') continue;
    if (line.find(":=") != std::string::npos) continue; // key/value pairs carry no layout
    const auto colon = line.find(": ");
    if (colon == std::string::npos) throw ImageIOError(path, "corrupt NRRD header: a line without 'field: value' (" + line.substr(0, 40) + ")");
    std::string key = line.substr(0, colon);
    if (key == "datafile") key = "data file";
    if (key == "lineskip") key = "line skip";
    if (key == "byteskip") key = "byte skip";
    if (!fields.emplace(key, trimmed(line.substr(colon + 2))).second) throw ImageIOError(path, "corrupt NRRD header: field '" + key.substr(0, 40) + "' given twice");
    const auto value = words(fields[key]);
    if (key == "data file" && !value.empty() && value.front() == "LIST") break; // the lines that follow are file names
  }
  const bool detached = fields.count("data file") > 0;
  if (!detached && !ended) throw ImageIOError(path, "truncated NRRD: the header ends without the blank line before the data");

  long long dimension = 0;
  if (!parseInteger(fields["dimension"], dimension) || dimension < 1 || dimension > 16)
    throw ImageIOError(path, "corrupt NRRD header: dimension must be a number from 1 to 16");
  const std::vector<long long> extents = parseExtents(path, "NRRD", "sizes", fields["sizes"], dimension);
  const std::uint64_t typeBytes = typeBytesOf(fields["type"]);
  if (typeBytes == 0) throw ImageIOError(path, "corrupt NRRD header: unknown type '" + fields["type"].substr(0, 40) + "'");
  std::uint64_t needed = 0;
  if (!checkedVoxelBytes(extents, typeBytes, needed)) throw ImageIOError(path, "header declares more voxels than MedClick can address");

  const std::string encoding = fields["encoding"];
  static const std::set<std::string> raw{"raw"}, gzip{"gz", "gzip"}, text{"txt", "text", "ascii"}, hex{"hex"};
  if (!raw.count(encoding) && !gzip.count(encoding) && !text.count(encoding) && !hex.count(encoding))
    throw ImageIOError(path, "unsupported NRRD encoding '" + encoding.substr(0, 40) + "' (raw, gzip, text and hex are read)");
  if (typeBytes > 1 && (raw.count(encoding) || gzip.count(encoding)) && fields["endian"] != "little" && fields["endian"] != "big")
    throw ImageIOError(path, "corrupt NRRD header: multi-byte " + encoding + " data needs 'endian: little' or 'endian: big'");
  long long lineSkip = 0, byteSkip = 0;
  if (fields.count("line skip") && (!parseInteger(fields["line skip"], lineSkip) || lineSkip < 0))
    throw ImageIOError(path, "corrupt NRRD header: line skip must be a count of lines");
  if (fields.count("byte skip") && (!parseInteger(fields["byte skip"], byteSkip) || byteSkip < -1))
    throw ImageIOError(path, "corrupt NRRD header: byte skip must be -1 or a count of bytes");
  if (byteSkip == -1 && !raw.count(encoding)) throw ImageIOError(path, "corrupt NRRD header: byte skip -1 needs raw encoding");

  StoredVoxelData data;
  if (detached) {
    const std::string name = fields["data file"];
    const auto nameWords = words(name);
    if (nameWords.empty()) throw ImageIOError(path, "corrupt NRRD header: an empty data file");
    if (nameWords.front() == "LIST" || name.find('%') != std::string::npos)
      throw ImageIOError(path, "unsupported NRRD: voxels split over several files (data file: " + name.substr(0, 60) + ")");
    data.file = confinedDataFile(path, name);
  } else {
    data.file = path;
    data.offset = at;
  }
  data.offset = afterLines(path, data.file, data.offset, lineSkip);
  if (raw.count(encoding)) {
    data.atEnd = byteSkip == -1;
    if (byteSkip > 0) data.offset += static_cast<std::uint64_t>(byteSkip);
    requireVoxelData(path, data, needed);
  } else if (gzip.count(encoding)) {
    data.compressed = true; // byte skip counts decompressed bytes
    requireVoxelData(path, data, needed + static_cast<std::uint64_t>(byteSkip));
  } else {
    // Text needs at least one digit and one separator per value; hex two digits per byte.
    const std::uint64_t values = needed / typeBytes;
    data.offset += static_cast<std::uint64_t>(byteSkip);
    requireVoxelData(path, data, hex.count(encoding) ? 2 * needed : 2 * values - 1);
  }
}

} // namespace medclick::detail
