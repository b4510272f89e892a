#include "core/data/labeled_dataset.h"

#include "io/image_io_error.h"
#include "io/mask_reader.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <cstring>
#include <regex>

namespace medclick {

namespace fs = std::filesystem;

namespace {

bool isImageFile(const fs::path& p) {
  std::string name = p.filename().string();
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* ext : {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".nii", ".nii.gz", ".nrrd", ".mha", ".mhd"})
    if (name.size() > std::strlen(ext) && name.compare(name.size() - std::strlen(ext), std::strlen(ext), ext) == 0) return true;
  return false;
}

std::string stemOf(const fs::path& p) {
  std::string name = p.filename().string();
  for (const char* ext : {".nii.gz", ".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".nii", ".nrrd", ".mha", ".mhd"}) {
    const std::string e(ext);
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) return name.substr(0, name.size() - e.size());
  }
  return name;
}

std::vector<fs::path> sortedFiles(const fs::path& folder, bool recursive) {
  std::vector<fs::path> files;
  if (recursive) {
    for (const auto& entry : fs::recursive_directory_iterator(folder))
      if (entry.is_regular_file() && isImageFile(entry.path())) files.push_back(entry.path());
  } else {
    for (const auto& entry : fs::directory_iterator(folder))
      if (entry.is_regular_file() && isImageFile(entry.path())) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

LabeledDataset scanImagesAndMasks(const fs::path& folder, const std::string& dataset) {
  std::map<std::string, fs::path> masks;
  for (const auto& m : sortedFiles(folder / "masks", false)) {
    std::string stem = stemOf(m);
    if (stem.size() > 5 && stem.compare(stem.size() - 5, 5, "_mask") == 0) stem.resize(stem.size() - 5);
    masks[stem] = m;
  }
  LabeledDataset result{"images+masks", {}};
  for (const auto& image : sortedFiles(folder / "images", false)) {
    const std::string stem = stemOf(image);
    const auto mask = masks.find(stem);
    if (mask == masks.end()) continue;
    result.cases.push_back({dataset + "/" + stem, dataset + "/" + groupOf(dataset, stem), image.string(), {mask->second.string()}});
  }
  return result;
}

LabeledDataset scanBusi(const fs::path& folder, const std::string& dataset) {
  static const std::regex maskName(R"((.*)_mask(_\d+)?)");
  std::map<std::string, std::vector<std::string>> masksByImage; // image path without extension -> masks
  std::vector<fs::path> images;
  for (const auto& file : sortedFiles(folder, true)) {
    std::smatch match;
    const std::string stem = stemOf(file);
    if (std::regex_match(stem, match, maskName))
      masksByImage[(file.parent_path() / match[1].str()).string()].push_back(file.string());
    else
      images.push_back(file);
  }
  LabeledDataset result{"busi", {}};
  for (const auto& image : images) {
    const auto key = (image.parent_path() / stemOf(image)).string();
    const auto masks = masksByImage.find(key);
    if (masks == masksByImage.end()) continue;
    const std::string name = fs::relative(image.parent_path(), folder).string() + "/" + stemOf(image);
    result.cases.push_back({dataset + "/" + name, dataset + "/" + name, image.string(), masks->second});
  }
  return result;
}

LabeledDataset scanMsd(const fs::path& folder, const std::string& dataset) {
  LabeledDataset result{"msd", {}};
  for (const auto& image : sortedFiles(folder / "imagesTr", false)) {
    const std::string stem = stemOf(image);
    if (stem.size() < 5 || stem.compare(stem.size() - 5, 5, "_0000") != 0) continue; // first channel only
    const std::string caseName = stem.substr(0, stem.size() - 5);
    const fs::path label = folder / "labelsTr" / (caseName + ".nii.gz");
    if (!fs::exists(label)) continue;
    result.cases.push_back({dataset + "/" + caseName, dataset + "/" + caseName, image.string(), {label.string()}});
  }
  return result;
}

// NAME_image.EXT beside NAME_label.EXT, one case per NAME (../shared/data/lesions-nrrd).
LabeledDataset scanImageLabelPairs(const fs::path& folder, const std::string& dataset) {
  std::map<std::string, std::string> images, labels;
  for (const auto& file : sortedFiles(folder, false)) {
    const std::string name = file.filename().string();
    for (const auto& [suffix, into] : {std::pair<std::string, std::map<std::string, std::string>*>{"_image.", &images}, {"_label.", &labels}}) {
      const auto at = name.rfind(suffix);
      if (at != std::string::npos && at > 0) (*into)[name.substr(0, at)] = file.string();
    }
  }
  LabeledDataset result{"image+label pairs", {}};
  for (const auto& [stem, image] : images) {
    const auto label = labels.find(stem);
    if (label != labels.end()) result.cases.push_back({dataset + "/" + stem, dataset + "/" + stem, image, {label->second}});
  }
  return result;
}

} // namespace

std::string groupOf(const std::string& datasetName, const std::string& stem) {
  static const std::regex hc18(R"((\d+)_\d*HC)");
  static const std::regex octScan(R"(img_(\d+))");
  static const std::regex busBra(R"((bus_\d+)-[a-z])");
  std::smatch match;
  if (std::regex_match(stem, match, hc18)) return match[1].str();
  if (datasetName.find("oct") != std::string::npos && std::regex_match(stem, match, octScan))
    return "patient_" + std::to_string((std::stoi(match[1].str()) - 1) / 11);
  if (std::regex_match(stem, match, busBra)) return match[1].str();
  return stem;
}

LabeledDataset scanLabeledDataset(const std::string& path) {
  const fs::path folder(path);
  if (!fs::is_directory(folder)) throw ImageIOError(path, "not a folder");
  const std::string dataset = folder.filename().empty() ? folder.parent_path().filename().string() : folder.filename().string();
  LabeledDataset result;
  if (fs::is_directory(folder / "imagesTr") && fs::is_directory(folder / "labelsTr"))
    result = scanMsd(folder, dataset);
  else if (fs::is_directory(folder / "images") && fs::is_directory(folder / "masks"))
    result = scanImagesAndMasks(folder, dataset);
  else
    result = scanBusi(folder, dataset);
  if (result.cases.empty()) result = scanImageLabelPairs(folder, dataset);
  if (result.cases.empty())
    throw ImageIOError(path, "no labeled cases found (expected images/ + masks/, BUSI's name.png + name_mask.png, imagesTr/ + labelsTr/, "
                             "or NAME_image.* + NAME_label.* pairs)");
  return result;
}

LabelMask readCaseMask(const LabeledCase& labeledCase, const ImageGeometry& imageGeometry, int label) {
  LabelMask merged(imageGeometry);
  for (const auto& path : labeledCase.maskPaths) {
    const LabelMask mask = readMaskFor(path, imageGeometry);
    for (size_t i = 0; i < merged.labels().size(); ++i) {
      const auto v = mask.labels()[i];
      if (label == 0 ? v != 0 : v == label) merged.labels()[i] = 1;
    }
  }
  return merged;
}

} // namespace medclick
