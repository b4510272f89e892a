#pragma once
// IKAN behind the SegmentationEngine interface (2D, clicks, grey or RGB): the image is normalized and resized to the network's
// resolution once; each click resizes the previous probability in, modulates it (eq. 3–5), runs the
// network and up-samples the logits bilinearly to the image's size. From the second click on the
// network sees a crop around the object instead (zoom-in, ikan/zoom_in.h), resized once per crop;
// the logits are the mean of the image's and its mirror image's (flipAveraging).

#include "engine/segmentation_engine.h"
#include "inference/ikan/zoom_in.h"

#include <map>
#include <memory>
#include <string>

namespace medclick {

struct IkanEngineOptions {
  std::string weightsPath;         // safetensors; its metadata names the variant
  std::string device = "auto";     // auto, cpu, cuda, cuda:N
  int threads = 0;                 // CPU threads; 0 = all cores
  // Without weights the engine refuses to start; tests and the benchmark may ask for random ones.
  bool randomWeightsForTesting = false;
  std::string variant = "small";   // used only with random weights (a weights file names its own)
  ZoomInOptions zoomIn;            // RITM's zoom-in after the first clicks (ikan/zoom_in.h)
  // Also run the mirror image (one batch of two) and average the logits: on the 86 held-out BUSI
  // cases NoC@85 4.83 -> 4.51 (NoC@80 3.10 -> 3.02, NoC@90 8.85 -> 9.09) for twice the network time
  // (58 -> 129 ms per click on 2 busy CPU cores).
  bool flipAveraging = true;
};

// Throws WeightsError for a missing or mismatching weights file, std::invalid_argument otherwise.
std::unique_ptr<SegmentationEngine> createIkanEngine(const IkanEngineOptions& options);
EngineCapabilities ikanCapabilities();

// The metadata MedClick writes into IKAN weights, so a file says what network it belongs to.
std::map<std::string, std::string> ikanWeightsMetadata(const std::string& variant, int inputSize);

} // namespace medclick
