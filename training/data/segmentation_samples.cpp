#include "training/data/segmentation_samples.h"

#include "training/data/metadata_lines.h"
#include "weights/safetensors.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

namespace medclick {

SegmentationSamples SegmentationSamples::subset(const std::vector<int64_t>& indices) const {
  SegmentationSamples part;
  const auto index = torch::tensor(indices, torch::kLong);
  part.images = images.index_select(0, index);
  part.masks = masks.index_select(0, index);
  for (const auto i : indices) {
    part.names.push_back(names[static_cast<size_t>(i)]);
    part.groups.push_back(groups[static_cast<size_t>(i)]);
  }
  return part;
}

void saveSampleCache(const SegmentationSamples& samples, const std::string& path) {
  saveSafetensors(path, {{"images", samples.images}, {"masks", samples.masks}},
                  {{"kind", "medclick-2d-samples"}, {"names", joinLines(samples.names)}, {"groups", joinLines(samples.groups)}});
}

void SampleCacheBuilder::append(torch::Tensor image, torch::Tensor mask, const std::string& name, const std::string& group) {
  images_.push_back(std::move(image));
  masks_.push_back(std::move(mask));
  names_.push_back(name);
  groups_.push_back(group);
}

void SampleCacheBuilder::write(const std::string& path) const {
  if (names_.empty()) throw std::runtime_error("no cases to write into " + path);
  saveSampleCache(SegmentationSamples{torch::cat(images_), torch::cat(masks_), names_, groups_}, path);
}

SegmentationSamples loadSampleCache(const std::string& path) {
  auto content = loadSafetensors(path);
  if (content.metadata["kind"] != "medclick-2d-samples" || !content.tensors.count("images") || !content.tensors.count("masks"))
    throw WeightsError(path, "not a MedClick 2D sample cache");
  SegmentationSamples samples;
  samples.images = content.tensors.at("images");
  samples.masks = content.tensors.at("masks");
  samples.names = splitLines(content.metadata["names"]);
  samples.groups = splitLines(content.metadata["groups"]);
  const auto n = samples.images.size(0);
  // images [N, C, S, S] (C modalities), masks [N, K, S, S] (K classes): one grey channel and one
  // class for IKAN's and KM-UNet's caches, several for KANU-Net's slices.
  if (samples.images.dim() != 4 || samples.masks.dim() != 4 || samples.masks.size(0) != n ||
      samples.masks.size(2) != samples.images.size(2) || samples.masks.size(3) != samples.images.size(3) ||
      static_cast<int64_t>(samples.names.size()) != n || static_cast<int64_t>(samples.groups.size()) != n)
    throw WeightsError(path, "sample cache is inconsistent (image, mask and name counts differ)");
  return samples;
}

SampleSplit splitByGroup(const SegmentationSamples& samples, double validationFraction, uint64_t seed) {
  // Stratified by dataset (the group's prefix up to '/'), so that a small dataset — Duke OCT has 8
  // patients — still has patients in validation.
  std::map<std::string, std::vector<std::string>> groupsByDataset;
  for (const auto& group : samples.groups) groupsByDataset[group.substr(0, group.find('/'))].push_back(group);
  std::map<std::string, bool> isValidation;
  std::mt19937_64 random(seed);
  for (auto& [dataset, groups] : groupsByDataset) {
    std::sort(groups.begin(), groups.end());
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
    std::shuffle(groups.begin(), groups.end(), random);
    auto count = static_cast<size_t>(validationFraction * static_cast<double>(groups.size()) + 0.5);
    if (validationFraction > 0 && count == 0 && groups.size() >= 2) count = 1;
    for (size_t g = 0; g < groups.size(); ++g) isValidation[groups[g]] = g < count;
  }
  SampleSplit split;
  for (int64_t i = 0; i < samples.size(); ++i)
    (isValidation[samples.groups[static_cast<size_t>(i)]] ? split.validation : split.training).push_back(i);
  return split;
}

SampleSplit readSplit(const SegmentationSamples& samples, const std::string& path, bool unlistedToTraining) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read the split");
  std::map<std::string, bool> isValidation;
  for (std::string line; std::getline(in, line);) {
    const auto tab = line.find('\t');
    if (tab != std::string::npos) isValidation[line.substr(tab + 1)] = line.substr(0, tab) == "validation";
  }
  SampleSplit split;
  for (int64_t i = 0; i < samples.size(); ++i) {
    // A crop NAME#k of a case (an object crop) follows its case: a validation image's crops never train.
    const std::string& name = samples.names[static_cast<size_t>(i)];
    auto found = isValidation.find(name);
    if (found == isValidation.end() && name.find('#') != std::string::npos) found = isValidation.find(name.substr(0, name.rfind('#')));
    if (found == isValidation.end() && !unlistedToTraining)
      throw std::runtime_error(path + ": case " + samples.names[static_cast<size_t>(i)] + " is not in the split");
    (found != isValidation.end() && found->second ? split.validation : split.training).push_back(i);
  }
  return split;
}

void writeSplit(const std::string& path, const SegmentationSamples& samples, const SampleSplit& split) {
  std::ofstream out(path);
  for (const auto i : split.training) out << "train\t" << samples.names[static_cast<size_t>(i)] << "\n";
  for (const auto i : split.validation) out << "validation\t" << samples.names[static_cast<size_t>(i)] << "\n";
}

RunSplit chooseRunSplit(const SegmentationSamples& samples, const std::string& runSplitPath, bool resume, const std::string& followSplit,
                        double validationFraction, uint64_t seed) {
  RunSplit chosen;
  chosen.keptFromRun = resume && std::filesystem::exists(runSplitPath);
  chosen.split = chosen.keptFromRun      ? readSplit(samples, runSplitPath)
                 : !followSplit.empty() ? readSplit(samples, followSplit, true)
                                        : splitByGroup(samples, validationFraction, seed);
  return chosen;
}

} // namespace medclick
