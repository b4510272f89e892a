#pragma once
// The header of a safetensors file — 8-byte little-endian length, then JSON — read without torch,
// so the GUI's wiring can ask which model a weights file holds (its "__metadata__") cheaply; the
// weights loader reads the same header before the tensor data.

#include "json/json_value.h"

#include <cstdint>
#include <istream>
#include <map>
#include <stdexcept>
#include <string>

namespace medclick {

// What is wrong with a file that is not a safetensors file (the message names no path: callers add it).
struct SafetensorsFormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SafetensorsHeader {
  json::Value header;            // a JSON object: tensor descriptions and "__metadata__"
  std::uint64_t headerBytes = 0; // the data starts at 8 + headerBytes
};

// Reads from the start of `in` (a file of fileBytes bytes); leaves `in` at the first data byte.
// Throws SafetensorsFormatError for a short file, a header length that does not fit, or bad JSON.
SafetensorsHeader readSafetensorsHeader(std::istream& in, std::uint64_t fileBytes);

// The header's "__metadata__" (its string values); empty when there is none.
std::map<std::string, std::string> metadataInSafetensorsHeader(const SafetensorsHeader& header);

// The "model" entry of the header's metadata; empty when there is none.
std::string modelInSafetensorsHeader(const SafetensorsHeader& header);

} // namespace medclick
