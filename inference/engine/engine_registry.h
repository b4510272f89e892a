#pragma once
// The one place that knows which engines exist: a weights file's metadata names its model, and the
// registry says what that model's engine can do (capabilities, without loading a tensor) and opens
// it behind SegmentationEngine. Callers (the CLI, the GUI's model list, evaluation) ask the registry
// instead of branching on model names. Torch-free header.

#include "engine/segmentation_engine.h"
#include "inference/ikan/zoom_in.h"

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace medclick {

struct EngineRequest {
  std::string model;            // the model the caller expects: a file of another one is refused (WeightsError)
  std::string weightsPath;      // safetensors
  std::string device = "auto";  // auto, cpu, cuda, cuda:N
  int threads = 0;              // CPU threads; 0 = all cores
  ZoomInOptions zoomIn;         // IKAN: zoom-in after the first clicks (inference/ikan/zoom_in.h)
  bool flipAveraging = true;    // IKAN, KM-UNet: mean of the image's and its mirror image's logits
  std::array<int, 3> patch{0, 0, 0}; // CAISeg: D, H, W voxels, 0 = from the spacing
};

// The models with weights: "ikan", "caiseg", "kmunet", "kanunet".
std::vector<std::string> registeredModels();
bool isRegisteredModel(const std::string& model);

// What `model`'s engine can do with weights of this metadata (e.g. KM-UNet's channels are its
// "in_channels"). Throws std::invalid_argument for a model the registry does not know.
EngineCapabilities capabilitiesOf(const std::string& model, const std::map<std::string, std::string>& metadata);

struct WeightsDescription {
  std::string model; // from the file's metadata; IKAN files written before the field existed say "ikan"
  EngineCapabilities capabilities;
};
// Reads the file's header only. Throws WeightsError for an unreadable file or an unknown model.
WeightsDescription describeWeights(const std::string& path);

// Loads the weights into the engine of request.model. Throws WeightsError for a missing file or one
// of another model or shape, std::invalid_argument for an unknown model.
std::unique_ptr<SegmentationEngine> openEngine(const EngineRequest& request);

} // namespace medclick
