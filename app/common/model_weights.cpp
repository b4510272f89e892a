#include "common/model_weights.h"

#include <QCoreApplication>
#include <QDir>

#include <cstdlib>
#include <filesystem>
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

} // namespace medclick::app
