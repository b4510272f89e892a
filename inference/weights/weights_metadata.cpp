#include "weights/weights_metadata.h"

#include "weights/safetensors.h"

namespace medclick {

void requireModelName(const std::map<std::string, std::string>& metadata, const std::string& expected, const std::string& label,
                      const std::string& path, bool allowMissing) {
  const auto model = metadata.find("model");
  if (model == metadata.end()) {
    if (allowMissing) return;
    throw WeightsError(path, "has no 'model' in its metadata; " + label + " weights say model '" + expected + "'");
  }
  if (model->second != expected) throw WeightsError(path, "holds weights of model '" + model->second + "', not " + label);
}

std::string requiredMetadataText(const std::map<std::string, std::string>& metadata, const std::string& key, const std::string& what,
                                 const std::string& path) {
  const auto found = metadata.find(key);
  if (found == metadata.end()) throw WeightsError(path, "has no '" + key + "' in its metadata (" + what + ")");
  return found->second;
}

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
