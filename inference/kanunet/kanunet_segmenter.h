#pragma once
// KANU-Net behind the SegmentationEngine interface (2D, no clicks), with the paper's pre-processing
// (kanu-net-small-samples-brain-mri.md, "Data preprocessing"; kanunet/kanunet_preprocessing.h, shared
// with the trainer): the brain-centred crop of the network's input size (224 for BraTS's 240×240
// slices; a brain wider than that is cropped whole and resized), per-modality min–max to [−1, 1] with
// a gamma per modality. Foreground: the sigmoid of class 0 (BraTS's whole tumour; the only class of a
// binary network); outside the crop the probability is 0.

#include "engine/segmentation_engine.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace medclick {

struct KanUnetSegmenterOptions {
  std::string weightsPath;     // safetensors whose metadata says model "kanunet" and the variant
  std::string device = "auto"; // auto, cpu, cuda, cuda:N
  int threads = 0;             // CPU threads; 0 = all cores
};

// Throws WeightsError naming the file when it is missing, unreadable, of another model or of
// another shape; never falls back to random weights.
std::unique_ptr<SegmentationEngine> createKanUnetSegmenter(const KanUnetSegmenterOptions& options);

// 2D, no clicks; exactly its trained channel count (metadata "in_channels").
EngineCapabilities kanunetCapabilities(int inChannels);

// The metadata MedClick writes into KANU-Net weights: model, variant (small, paper), input_size
// (square side, a multiple of 16: four poolings), in_channels (modalities), classes, and gamma (one
// value per channel, comma-separated; the paper's 1.5 for T1c, 1.2 for FLAIR).
std::map<std::string, std::string> kanunetWeightsMetadata(const std::string& variant, int inputSize, int inChannels, int classes,
                                                          const std::vector<double>& gamma);

} // namespace medclick
