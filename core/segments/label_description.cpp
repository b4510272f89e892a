#include "segments/label_description.h"

#include "io/image_io_error.h"
#include "io/text_file.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <stdexcept>

namespace medclick {

namespace {

constexpr std::uintmax_t kMaxLabelDescriptionBytes = 8u << 20;

struct LineError {
  std::string reason;
};

long wholeNumber(const std::string& token, long lowest, long highest, const char* field) {
  long value = 0;
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (error != std::errc() || end != token.data() + token.size() || value < lowest || value > highest)
    throw LineError{std::string(field) + " '" + token + "' is not a whole number in " + std::to_string(lowest) + ".." + std::to_string(highest)};
  return value;
}

double fraction(const std::string& token) {
  char* end = nullptr;
  const double value = std::strtod(token.c_str(), &end);
  if (token.empty() || end != token.c_str() + token.size() || !std::isfinite(value) || value < 0.0 || value > 1.0)
    throw LineError{"the opacity (-A-) '" + token + "' is not a number in 0..1"};
  return value;
}

// One table line: IDX R G B A VIS MSH "NAME".
Segment parseLine(const std::string& line) {
  const auto quote = line.find('"');
  if (quote == std::string::npos) throw LineError{"the label's name is not in double quotes"};
  const auto closing = line.find('"', quote + 1);
  if (closing == std::string::npos) throw LineError{"the label's name has no closing quote"};
  std::istringstream fields(line.substr(0, quote));
  std::string token[7];
  for (auto& t : token)
    if (!(fields >> t)) throw LineError{"a line needs IDX -R- -G- -B- -A-- VIS MSH before the name"};
  if (std::string extra; fields >> extra) throw LineError{"'" + extra + "' before the name: a line has seven numbers"};
  Segment segment;
  segment.label = static_cast<std::uint16_t>(wholeNumber(token[0], 0, 65535, "IDX"));
  for (int c = 0; c < 3; ++c) segment.colour[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(wholeNumber(token[1 + c], 0, 255, "a colour"));
  segment.opacity = fraction(token[4]);
  segment.visible = wholeNumber(token[5], 0, 1, "VIS") == 1;
  segment.meshVisible = wholeNumber(token[6], 0, 1, "MSH") == 1;
  segment.name = line.substr(quote + 1, closing - quote - 1);
  return segment;
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

} // namespace

std::vector<Segment> parseLabelDescription(const std::string& text, const std::string& sourceName) {
  if (text.size() > kMaxLabelDescriptionBytes) throw ImageIOError(sourceName, "not a label description: larger than 8 MiB");
  std::vector<Segment> segments;
  std::set<std::uint16_t> seen;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    line = trimmed(line);
    if (line.empty() || line.front() == '#') continue;
    try {
      const Segment segment = parseLine(line);
      if (!seen.insert(segment.label).second) throw LineError{"label " + std::to_string(segment.label) + " is described twice"};
      if (segment.label != 0) segments.push_back(segment); // 0: the background ("Clear Label")
    } catch (const LineError& e) {
      throw ImageIOError(sourceName, "label description line " + std::to_string(number) + ": " + e.reason);
    }
  }
  return segments;
}

std::vector<Segment> readLabelDescription(const std::string& path) {
  return parseLabelDescription(readTextFile(path, kMaxLabelDescriptionBytes, "label description"), path);
}

std::string formatLabelDescription(const std::vector<Segment>& segments) {
  std::string out =
      "################################################\n"
      "# ITK-SnAP Label Description File\n"
      "# File format: \n"
      "# IDX   -R-  -G-  -B-  -A--  VIS MSH  LABEL\n"
      "# Fields: \n"
      "#    IDX:   Zero-based index \n"
      "#    -R-:   Red color component (0..255)\n"
      "#    -G-:   Green color component (0..255)\n"
      "#    -B-:   Blue color component (0..255)\n"
      "#    -A-:   Label transparency (0.00 .. 1.00)\n"
      "#    VIS:   Label visibility (0 or 1)\n"
      "#    MSH:   Label mesh visibility (0 or 1)\n"
      "#  LABEL:   Label description \n"
      "################################################\n"
      "    0     0    0    0        0  0  0    \"Clear Label\"\n";
  char line[96];
  for (const Segment& s : segments) {
    if (s.label == 0) throw std::invalid_argument("label 0 is the background, not a segment");
    std::string name = s.name;
    for (char& c : name)
      if (c == '"' || c == '\n' || c == '\r') c = c == '"' ? '\'' : ' '; // the format ends a name at a quote or a line
    std::snprintf(line, sizeof line, "%5u %5u %4u %4u %8.4g %2d %2d    ", static_cast<unsigned>(s.label), static_cast<unsigned>(s.colour[0]),
                  static_cast<unsigned>(s.colour[1]), static_cast<unsigned>(s.colour[2]), s.opacity, s.visible ? 1 : 0, s.meshVisible ? 1 : 0);
    out += line;
    out += "\"" + name + "\"\n";
  }
  return out;
}

void writeLabelDescription(const std::string& path, const std::vector<Segment>& segments) {
  writeTextAtomically(path, formatLabelDescription(segments));
}

} // namespace medclick
