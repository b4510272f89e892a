#pragma once
// Shared by the text-header checks (MetaImage, NRRD): bounded line reading and strict number parsing.

#include <cstdint>
#include <string>
#include <vector>

namespace medclick::detail {

// Header text is read up to this many bytes; a header that has not ended by then is refused.
constexpr std::size_t kMaxHeaderBytes = 1 << 20;

std::string trimmed(const std::string& text);
std::vector<std::string> words(const std::string& text);
// Whole-word integers and finite reals; false on anything else ("3x", "nan", "", overflow).
bool parseInteger(const std::string& word, long long& value);
bool parseReal(const std::string& word, double& value);

// The extents of a header's size field ("DimSize", "sizes"): `count` whole numbers, each at least 1;
// ImageIOError naming the file otherwise.
std::vector<long long> parseExtents(const std::string& path, const std::string& format, const std::string& field,
                                    const std::string& text, long long count);

// Product of positive extents times bytes per element, refusing overflow past 2^62.
bool checkedVoxelBytes(const std::vector<long long>& extents, std::uint64_t elementBytes, std::uint64_t& bytes);

} // namespace medclick::detail
