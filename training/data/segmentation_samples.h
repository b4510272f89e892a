#pragma once
// 2D training cases as tensors, decoded once: images min–max scaled to uint8 (IKAN z-scores each
// image, which is blind to that affine change), binary masks, both resized to one square cache size
// so that a batch is a slice. Saved as a safetensors "tensor cache" that travels to a machine that
// has only LibTorch (e.g. a GPU machine) and loads without re-decoding a single image.

#include <torch/torch.h>

#include <string>
#include <vector>

namespace medclick {

struct SegmentationSamples {
  torch::Tensor images;             // [N, C, S, S] uint8 (C = 1 but for KANU-Net's modalities)
  torch::Tensor masks;              // [N, K, S, S] uint8, 0/1 (K = 1 but for KANU-Net's classes)
  std::vector<std::string> names;   // one per case: "dataset/file"
  std::vector<std::string> groups;  // cases of one patient/exam share a group (kept in one split)

  int64_t size() const { return images.defined() ? images.size(0) : 0; }
  SegmentationSamples subset(const std::vector<int64_t>& indices) const;
};

void saveSampleCache(const SegmentationSamples& samples, const std::string& path);

// Collects the cases a cache writer decodes, one at a time, and saves them as one cache.
class SampleCacheBuilder {
public:
  // image [1, C, S, S] uint8, mask [1, K, S, S] uint8 0/1.
  void append(torch::Tensor image, torch::Tensor mask, const std::string& name, const std::string& group);
  int count() const { return static_cast<int>(names_.size()); }
  const torch::Tensor& first(bool mask) const { return mask ? masks_.front() : images_.front(); } // count() > 0
  void write(const std::string& path) const; // throws std::runtime_error when empty

private:
  std::vector<torch::Tensor> images_, masks_;
  std::vector<std::string> names_, groups_;
};
SegmentationSamples loadSampleCache(const std::string& path); // throws WeightsError on a bad file

// A fixed, seeded split by group: about `validationFraction` of the groups go to validation.
struct SampleSplit {
  std::vector<int64_t> training, validation;
};
// Stratified by dataset (the part of the group before '/').
SampleSplit splitByGroup(const SegmentationSamples& samples, double validationFraction, uint64_t seed);
// The split a run wrote (split.txt: "train|validation <TAB> name" per case): a resumed run keeps it.
// A case the file does not list is an error, or with unlistedToTraining a training case (another
// run's split followed on more data: its validation cases stay unseen).
SampleSplit readSplit(const SegmentationSamples& samples, const std::string& path, bool unlistedToTraining = false);
void writeSplit(const std::string& path, const SegmentationSamples& samples, const SampleSplit& split);

// A 2D training run's split: a resumed run keeps the one in its folder (cases never move between splits
// mid-run); otherwise `followSplit` (another run's split.txt: its validation cases stay validation,
// cases it does not list train) or, when that is empty, splitByGroup. The caller writes it to the run's
// folder when it is new (keptFromRun false).
struct RunSplit {
  SampleSplit split;
  bool keptFromRun = false;
};
RunSplit chooseRunSplit(const SegmentationSamples& samples, const std::string& runSplitPath, bool resume, const std::string& followSplit,
                        double validationFraction, uint64_t seed);

} // namespace medclick
