#include "common/model_weights.h"

#include "weights/safetensors_header.h"

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
  if (ec) throw std::runtime_error(path + ": cannot read the file's size");
  try {
    return modelInSafetensorsHeader(readSafetensorsHeader(in, fileBytes));
  } catch (const SafetensorsFormatError& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

} // namespace medclick::app
