#include "common/engine_choice.h"

#include "common/model_weights.h"

#include "inference/caiseg/caiseg_engine.h"
#include "segmentation/clicked_objects.h"
#include "classic/volume_watershed_engine.h"
#include "classic/watershed_engine.h"
#include "inference/ikan/ikan_engine.h"
#include "kanunet/kanunet_segmenter.h"
#include "kmunet/kmunet_segmenter.h"

#include <stdexcept>

namespace medclick::app {

std::unique_ptr<InteractiveEngine> createEngineByName(const std::string& model, const std::string& weightsPath, const std::string& device,
                                                      const IkanInferenceChoices& ikan) {
  if (model == "classic") return createWatershedEngine();
  if (model == "ikan") {
    IkanEngineOptions options;
    options.weightsPath = weightsPath.empty() ? findBundledWeights("ikan") : weightsPath;
    options.device = device;
    options.zoomIn.enabled = ikan.zoomIn;
    options.flipAveraging = ikan.flipAveraging;
    return createIkanEngine(options);
  }
  if (isVolumeModel(model)) throw std::invalid_argument(model + " segments 3D volumes, not 2D images");
  if (isAutomaticModel(model)) throw std::invalid_argument(model + " segments automatically, without clicks");
  throw std::invalid_argument("unknown model '" + model + "' (available: ikan, classic)");
}

bool isVolumeModel(const std::string& model) { return model == "caiseg"; }

namespace {

std::unique_ptr<VolumeInteractiveEngine> createBareVolumeEngine(const std::string& model, const std::string& weightsPath,
                                                                const std::string& device, const std::array<int, 3>& patch) {
  if (model == "classic") return createVolumeWatershedEngine();
  if (model != "caiseg") throw std::invalid_argument("unknown 3D model '" + model + "' (available: caiseg, classic)");
  CaisegEngineOptions options;
  // The bundled weights unless a file is given; findBundledWeights's message lists the folders searched.
  options.weightsPath = weightsPath.empty() ? findBundledWeights("caiseg") : weightsPath;
  options.device = device;
  options.patch = patch;
  return createCaisegEngine(options);
}

} // namespace

std::unique_ptr<VolumeInteractiveEngine> createVolumeEngineByName(const std::string& model, const std::string& weightsPath,
                                                                  const std::string& device, const std::array<int, 3>& patch,
                                                                  bool keepClickedObjectsOnly) {
  auto engine = createBareVolumeEngine(model, weightsPath, device, patch);
  return keepClickedObjectsOnly ? keepingClickedObjects(std::move(engine)) : std::move(engine);
}

bool isAutomaticModel(const std::string& model) { return model == "kmunet" || model == "kanunet"; }

std::unique_ptr<AutomaticSegmenter> createAutomaticSegmenterByName(const std::string& model, const std::string& weightsPath,
                                                                   const std::string& device, bool flipAveraging) {
  if (!isAutomaticModel(model)) throw std::invalid_argument("unknown automatic model '" + model + "' (available: kmunet, kanunet)");
  // The bundled weights (resources/models/kmunet.safetensors, kanunet.safetensors) unless a file is
  // given; findBundledWeights's message lists the folders searched when an installation lacks them.
  const std::string path = weightsPath.empty() ? findBundledWeights(model) : weightsPath;
  if (model == "kmunet") {
    KmUnetSegmenterOptions options;
    options.weightsPath = path;
    options.device = device;
    options.flipAveraging = flipAveraging;
    return createKmUnetSegmenter(options);
  }
  KanUnetSegmenterOptions options;
  options.weightsPath = path;
  options.device = device;
  return createKanUnetSegmenter(options);
}

} // namespace medclick::app
