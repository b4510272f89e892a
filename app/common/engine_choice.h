#pragma once
// The engine a command asks for by name (--model), shared by the CLI (segment, evaluate) and the GUI.
// Every model with weights comes from the registry (inference/engine/engine_registry.h), which also
// says what it can do; "classic" is ITK's/OpenCV's watershed of the image's dimension (no weights).
// The role helpers below only check that the named model fits the role a command gives it
// (2D clicks, 3D clicks, automatic), so each command's message names the mismatch.

#include "engine/segmentation_engine.h"
#include "inference/ikan/zoom_in.h"

#include <array>
#include <memory>
#include <string>

namespace medclick::app {

struct EngineChoices {
  ZoomInOptions zoomIn;               // IKAN: zoom-in after the first clicks (enabled, when, how wide)
  bool flipAveraging = true;          // IKAN, KM-UNet: mean of the image's and its mirror image's logits
  std::array<int, 3> patch{0, 0, 0};  // CAISeg: D, H, W voxels, 0 = from the spacing
  bool keepClickedObjectsOnly = true; // 3D: results keep only objects that hold a positive click
  int dimension = 2;                  // "classic": the 2D or the 3D watershed
};

// IKAN for small structures (OCT fluid pockets, a few pixels at the network's 256² when the whole
// B-scan is shown): the zoom-in crops around the first positive click, from the first click on, at
// least 0.15 of the image's shorter side. On the OCT validation pockets (per object) NoC@85 14.20 ->
// 10.55 with the bundled IKAN (resources/models/ikan.md); on BUSI's large tumours it is wrong (IoU@1
// near 0), so it is a choice the user makes, not the default.
ZoomInOptions smallObjectZoomIn();

// weightsPath empty: the bundled weights (resources/models/MODEL.safetensors). Throws
// std::invalid_argument for an unknown model, WeightsError for a file that is not the model's.
std::unique_ptr<SegmentationEngine> createEngineByName(const std::string& model, const std::string& weightsPath, const std::string& device,
                                                       const EngineChoices& choices = {});
// What the named model can do ("classic": the watershed of `dimension`), without loading it.
EngineCapabilities capabilitiesOfModel(const std::string& model, int dimension = 2);

bool isVolumeModel(const std::string& model);    // refines whole volumes: "caiseg"
bool isAutomaticModel(const std::string& model); // segments without clicks only: "kmunet", "kanunet"

// The roles commands give a model; each throws std::invalid_argument naming the mismatch.
std::unique_ptr<SegmentationEngine> createInteractive2dEngine(const std::string& model, const std::string& weightsPath,
                                                              const std::string& device, const EngineChoices& choices = {});
std::unique_ptr<SegmentationEngine> createVolumeEngine(const std::string& model, const std::string& weightsPath, const std::string& device,
                                                       EngineChoices choices = {});
std::unique_ptr<SegmentationEngine> createAutomaticEngine(const std::string& model, const std::string& weightsPath,
                                                          const std::string& device, const EngineChoices& choices = {});

} // namespace medclick::app
