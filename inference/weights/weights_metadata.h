#pragma once
// Reading the metadata a weights file carries (model name, variant, input size...): a value that is
// missing or malformed is a WeightsError naming the file, never a silent default.

#include <map>
#include <string>

namespace medclick {

int positiveMetadataInt(const std::map<std::string, std::string>& metadata, const std::string& key, const std::string& path);

} // namespace medclick
