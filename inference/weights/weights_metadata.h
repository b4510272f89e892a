#pragma once
// Reading the metadata a weights file carries (model name, variant, input size...): a value that is
// missing or malformed is a WeightsError naming the file, never a silent default.

#include <map>
#include <string>

namespace medclick {

// The one check every engine makes before loading: the metadata's "model" names `expected` (`label`
// is how messages name it, e.g. "KM-UNet"). allowMissing accepts a file without the field (IKAN weights
// written before it existed); a file of another model is refused either way.
void requireModelName(const std::map<std::string, std::string>& metadata, const std::string& expected, const std::string& label,
                      const std::string& path, bool allowMissing = false);

// A value the file must carry (e.g. "variant"); `what` says what it is in the message.
std::string requiredMetadataText(const std::map<std::string, std::string>& metadata, const std::string& key, const std::string& what,
                                 const std::string& path);

int positiveMetadataInt(const std::map<std::string, std::string>& metadata, const std::string& key, const std::string& path);

} // namespace medclick
