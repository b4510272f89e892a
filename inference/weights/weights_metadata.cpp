#include "weights/weights_metadata.h"

#include "weights/safetensors.h"

namespace medclick {

int positiveMetadataInt(const std::map<std::string, std::string>& metadata, const std::string& key, const std::string& path) {
  const auto found = metadata.find(key);
  if (found == metadata.end()) throw WeightsError(path, "has no '" + key + "' in its metadata");
  try {
    size_t used = 0;
    const int value = std::stoi(found->second, &used);
    if (used == found->second.size() && value > 0) return value;
  } catch (const std::exception&) { // std::stoi's invalid_argument/out_of_range: reported below with the value
  }
  throw WeightsError(path, "metadata '" + key + "' is not a positive integer ('" + found->second + "')");
}

} // namespace medclick
