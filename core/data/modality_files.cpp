#include "data/modality_files.h"

#include "io/image_io_error.h"
#include "io/image_reader.h"

#include <cstdio>
#include <filesystem>

namespace medclick {

namespace fs = std::filesystem;

std::vector<std::string> nnunetModalityPaths(const std::string& path) {
  std::vector<std::string> paths{path};
  const std::string file = fs::path(path).filename().string();
  const auto at = file.find("_0000.");
  if (at == std::string::npos) return paths;
  const std::string stem = file.substr(0, at), extension = file.substr(at + 5); // ".nii.gz" etc.
  for (int channel = 1; channel < 10000; ++channel) {
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, "_%04d", channel);
    const fs::path next = fs::path(path).parent_path() / (stem + suffix + extension);
    if (!fs::exists(next)) break;
    paths.push_back(next.string());
  }
  return paths;
}

std::vector<Image> readModalities(const std::vector<std::string>& paths) {
  if (paths.size() == 1) return {readImage(paths.front())}; // one image: as it is (an RGB picture keeps its colours)
  std::vector<Image> modalities;
  for (const auto& path : paths) {
    Image image = readImage(path);
    if (image.components() != 1) throw ImageIOError(path, "a modality must be a grey image, this one has " + std::to_string(image.components()) + " components");
    if (!modalities.empty() && !image.geometry().sameGridAs(modalities.front().geometry()))
      throw ImageIOError(path, "lies on another grid than " + paths.front() + " (" + image.geometry().describe() + " vs " +
                                   modalities.front().geometry().describe() + ")");
    modalities.push_back(std::move(image));
  }
  return modalities;
}

} // namespace medclick
