#include "common/model_weights.h"

#include "weights/json_value.h"

#include <QCoreApplication>
#include <QDir>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace medclick::app {

std::vector<std::string> weightsSearchFolders() {
  std::vector<std::string> folders;
  if (const char* fromEnvironment = std::getenv("MEDCLICK_WEIGHTS_DIR")) folders.emplace_back(fromEnvironment);
  folders.push_back(QDir(QCoreApplication::applicationDirPath() + "/../share/medclick/models").absolutePath().toStdString());
  folders.emplace_back(MEDCLICK_SOURCE_MODELS_DIR);
  return folders;
}

std::string findBundledWeights(const std::string& model) {
  std::string searched;
  for (const auto& folder : weightsSearchFolders()) {
    const auto candidate = std::filesystem::path(folder) / (model + ".safetensors");
    if (std::filesystem::is_regular_file(candidate)) return candidate.string();
    searched += (searched.empty() ? "" : ", ") + folder;
  }
  throw std::runtime_error("no trained " + model + " weights are installed (looked for " + model + ".safetensors in " +
                           searched + "); choose a weights file (--weights FILE)");
}

std::string modelNamedInWeights(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open the weights file");
  std::error_code ec;
  const std::uintmax_t fileBytes = std::filesystem::file_size(path, ec);
  unsigned char lengthBytes[8];
  if (ec || fileBytes < 8 || !in.read(reinterpret_cast<char*>(lengthBytes), 8))
    throw std::runtime_error(path + ": not a safetensors file (shorter than its 8-byte header length)");
  std::uint64_t headerBytes = 0;
  for (int i = 7; i >= 0; --i) headerBytes = (headerBytes << 8) | lengthBytes[i];
  if (headerBytes > fileBytes - 8 || headerBytes > (std::uint64_t{100} << 20)) throw std::runtime_error(path + ": not a safetensors file (its header length does not fit the file)");
  std::string headerText(headerBytes, '\0');
  in.read(headerText.data(), static_cast<std::streamsize>(headerBytes));
  json::Value header;
  try {
    header = json::parse(headerText);
  } catch (const json::ParseError& e) {
    throw std::runtime_error(path + ": not a safetensors file (" + e.what() + ")");
  }
  const auto metadata = header.object.find("__metadata__");
  if (metadata == header.object.end()) return {};
  const auto model = metadata->second.object.find("model");
  return model == metadata->second.object.end() || model->second.kind != json::Value::Kind::String ? std::string() : model->second.string;
}

} // namespace medclick::app
