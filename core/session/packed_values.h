#pragma once
// A buffer of voxel values zlib-compressed into a string of exactly its compressed length: what the
// undo history keeps of a changed box, and what a segment that is not being edited keeps of its
// probability map (probability and label maps are mostly runs of one value and compress tens of times).

#include <cstddef>
#include <string>
#include <vector>

namespace medclick {

template <typename T>
std::string packValues(const std::vector<T>& values);
// Throws std::runtime_error unless `packed` holds exactly `count` values.
template <typename T>
std::vector<T> unpackValues(const std::string& packed, std::size_t count);

} // namespace medclick
