#pragma once
// The tensor caches keep their per-case strings (names, groups, spacings) in the safetensors
// metadata, which maps strings to strings: one case per line.

#include <sstream>
#include <string>
#include <vector>

namespace medclick {

inline std::string joinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

inline std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

} // namespace medclick
