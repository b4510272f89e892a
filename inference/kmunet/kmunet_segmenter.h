#pragma once
// KM-UNet behind the SegmentationEngine interface (2D, no clicks): the image is z-scored (per image, as IKAN's
// engine: ultrasound intensities have no common scale), resized to the network's square input (a
// multiple of 32: five down-samplings), run under InferenceMode, and the logits are up-sampled
// bilinearly to the image's size before the sigmoid. The logits are the mean of the image's and its
// mirror image's (flipAveraging), as IKAN's engine does: held-out IoU with the bundled weights HC18
// 0.917 -> 0.927, BUSI 0.667 -> 0.669, for twice the network time (resources/models/kmunet.md).

#include "engine/segmentation_engine.h"

#include <map>
#include <memory>
#include <string>

namespace medclick {

struct KmUnetSegmenterOptions {
  std::string weightsPath;     // safetensors whose metadata says model "kmunet" and the variant
  std::string device = "auto"; // auto, cpu, cuda, cuda:N
  int threads = 0;             // CPU threads; 0 = all cores
  bool flipAveraging = true;   // average the logits of the image and of its left-right mirror image
};

// Throws WeightsError naming the file when it is missing, unreadable, of another model or of
// another shape. There is no random-weights fallback: an automatic mask from noise is worse than none.
std::unique_ptr<SegmentationEngine> createKmUnetSegmenter(const KmUnetSegmenterOptions& options);

// 2D, no clicks; its trained channel count (metadata "in_channels") or grey.
EngineCapabilities kmunetCapabilities(int inChannels);

// The metadata MedClick writes into KM-UNet weights: model, variant (small, paper, small++,
// paper++), input_size (square side, a multiple of 32), in_channels, classes.
std::map<std::string, std::string> kmunetWeightsMetadata(const std::string& variant, int inputSize, int inChannels = 3,
                                                         int classes = 1);

} // namespace medclick
