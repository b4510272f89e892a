#include "core/data/modality_files.h"

#include "io/image_io_error.h"
#include "io/image_reader.h"

#include <cstdio>
#include <filesystem>
#include <stdexcept>

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

namespace {

void requireGrey(const Image& image, const std::string& path) {
  if (image.components() != 1)
    throw ImageIOError(path, "a modality must be a grey image, this one has " + std::to_string(image.components()) + " components");
}

} // namespace

std::vector<Image> readFurtherModalities(const Image& first, const std::string& firstPath, const std::vector<std::string>& furtherPaths) {
  std::vector<Image> modalities;
  for (const auto& path : furtherPaths) {
    Image image = readImage(path);
    requireGrey(image, path);
    if (!image.geometry().sameGridAs(first.geometry()))
      throw ImageIOError(path, "lies on another grid than " + firstPath + " (" + image.geometry().describe() + " vs " +
                                   first.geometry().describe() + ")");
    modalities.push_back(std::move(image));
  }
  return modalities;
}

std::vector<Image> readModalities(const std::vector<std::string>& paths) {
  if (paths.empty()) throw std::invalid_argument("no modality to read");
  std::vector<Image> modalities{readImage(paths.front())};
  if (paths.size() == 1) return modalities; // one image: as it is (an RGB picture keeps its colours)
  requireGrey(modalities.front(), paths.front());
  auto further = readFurtherModalities(modalities.front(), paths.front(), {paths.begin() + 1, paths.end()});
  for (auto& image : further) modalities.push_back(std::move(image));
  return modalities;
}

} // namespace medclick
