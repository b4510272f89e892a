#include "io/checks/header_text.h"

#include "io/image_io_error.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace medclick::detail {

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> result;
  for (std::string w; in >> w;) result.push_back(w);
  return result;
}

bool parseInteger(const std::string& word, long long& value) {
  if (word.empty()) return false;
  errno = 0;
  char* end = nullptr;
  value = std::strtoll(word.c_str(), &end, 10);
  return errno == 0 && end == word.c_str() + word.size();
}

bool parseReal(const std::string& word, double& value) {
  if (word.empty()) return false;
  errno = 0;
  char* end = nullptr;
  value = std::strtod(word.c_str(), &end);
  return errno == 0 && end == word.c_str() + word.size() && std::isfinite(value);
}

std::vector<long long> parseExtents(const std::string& path, const std::string& format, const std::string& field,
                                    const std::string& text, long long count) {
  std::vector<long long> extents;
  for (const auto& w : words(text)) {
    long long extent = 0;
    if (!parseInteger(w, extent)) throw ImageIOError(path, "corrupt " + format + " header: " + field + " holds '" + w.substr(0, 40) + "'");
    if (extent < 1) throw ImageIOError(path, "header declares an invalid size along axis " + std::to_string(extents.size()) + " (" + w + ")");
    extents.push_back(extent);
  }
  if (static_cast<long long>(extents.size()) != count)
    throw ImageIOError(path, "corrupt " + format + " header: " + field + " has " + std::to_string(extents.size()) + " values for " +
                                 std::to_string(count) + " dimensions");
  return extents;
}

bool checkedVoxelBytes(const std::vector<long long>& extents, std::uint64_t elementBytes, std::uint64_t& bytes) {
  constexpr std::uint64_t kLimit = 1ull << 62;
  bytes = elementBytes;
  for (const long long extent : extents) {
    if (extent < 1) return false;
    if (bytes > kLimit / static_cast<std::uint64_t>(extent)) return false;
    bytes *= static_cast<std::uint64_t>(extent);
  }
  return true;
}

} // namespace medclick::detail
