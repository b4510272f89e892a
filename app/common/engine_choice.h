#pragma once
// The engine a command asks for by name (--model), shared by the CLI (segment, evaluate) and the GUI:
// 2D: "ikan" with given or bundled weights, or "classic" (watershed, no weights); 3D: "caiseg";
// automatic 2D masks without clicks: "kmunet", "kanunet".

#include "engine/automatic_segmenter.h"
#include "engine/interactive_engine.h"
#include "engine/volume_engine.h"

#include <array>
#include <memory>
#include <string>

namespace medclick::app {

// IKAN's inference choices (inference/ikan/ikan_engine.h): zoom-in after the first clicks, and the
// mean of the image's and its mirror image's logits. Both on unless a command turns them off.
struct IkanInferenceChoices {
  bool zoomIn = true;
  bool flipAveraging = true;
};

// weightsPath empty: the bundled weights. Throws std::invalid_argument for an unknown model.
std::unique_ptr<InteractiveEngine> createEngineByName(const std::string& model, const std::string& weightsPath, const std::string& device,
                                                      const IkanInferenceChoices& ikan = {});

// True for the models that refine whole volumes (VolumeInteractiveEngine): "caiseg".
bool isVolumeModel(const std::string& model);
// "caiseg" (weightsPath empty: the bundled weights, resources/models/caiseg.safetensors; patch: D, H, W voxels, 0 = chosen from the volume's
// spacing) or "classic" (ITK's 3D marker watershed, no weights). keepClickedObjectsOnly: results keep
// only the objects that hold a positive click (segmentation/clicked_objects.h; off for --all-components).
// Throws std::invalid_argument for an unknown model.
std::unique_ptr<VolumeInteractiveEngine> createVolumeEngineByName(const std::string& model, const std::string& weightsPath,
                                                                  const std::string& device, const std::array<int, 3>& patch = {0, 0, 0},
                                                                  bool keepClickedObjectsOnly = true);

// True for the automatic (clickless) 2D segmenters (AutomaticSegmenter): "kmunet", "kanunet".
bool isAutomaticModel(const std::string& model);
// weightsPath empty: the bundled weights (kmunet.safetensors, kanunet.safetensors). flipAveraging:
// KM-UNet's mean of the image's and its mirror image's logits (KANU-Net has none).
// Throws std::invalid_argument for an unknown model, WeightsError for a file that is not the model's.
std::unique_ptr<AutomaticSegmenter> createAutomaticSegmenterByName(const std::string& model, const std::string& weightsPath,
                                                                   const std::string& device, bool flipAveraging = true);

} // namespace medclick::app
