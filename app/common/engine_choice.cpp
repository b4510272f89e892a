#include "common/engine_choice.h"

#include "common/model_weights.h"

#include "classic/volume_watershed_engine.h"
#include "classic/watershed_engine.h"
#include "engine/engine_registry.h"
#include "segmentation/clicked_objects.h"

#include <stdexcept>

namespace medclick::app {

EngineCapabilities capabilitiesOfModel(const std::string& model, int dimension) {
  if (model == "classic") {
    EngineCapabilities c;
    c.dimension = dimension;
    c.channels = dimension == 3 ? std::vector<int>{1} : std::vector<int>{1, 3};
    return c;
  }
  if (!isRegisteredModel(model)) throw std::invalid_argument("unknown model '" + model + "' (available: ikan, classic, caiseg, kmunet, kanunet)");
  return capabilitiesOf(model, {});
}

bool isVolumeModel(const std::string& model) {
  return model != "classic" && isRegisteredModel(model) && capabilitiesOf(model, {}).dimension == 3;
}

bool isAutomaticModel(const std::string& model) {
  return model != "classic" && isRegisteredModel(model) && !capabilitiesOf(model, {}).takesClicks;
}

ZoomInOptions smallObjectZoomIn() {
  ZoomInOptions zoom;
  zoom.skipClicks = 0;
  zoom.cropAroundFirstClicks = true;
  zoom.minCropFraction = 0.15; // OCT pockets, stage-4 IKAN: 0.1, 0.12, 0.15, 0.2, 0.25 gave NoC@85 10.65, 10.80, 10.55, 12.45, 13.00
  return zoom;
}

std::unique_ptr<SegmentationEngine> createEngineByName(const std::string& model, const std::string& weightsPath, const std::string& device,
                                                       const EngineChoices& choices) {
  std::unique_ptr<SegmentationEngine> engine;
  if (model == "classic") {
    engine = choices.dimension == 3 ? createVolumeWatershedEngine() : createWatershedEngine();
  } else {
    capabilitiesOfModel(model); // an unknown name is refused before any file is looked for
    EngineRequest request;
    request.model = model;
    // The bundled weights unless a file is given; findBundledWeights's message lists the folders searched.
    request.weightsPath = weightsPath.empty() ? findBundledWeights(model) : weightsPath;
    request.device = device;
    request.zoomIn = choices.zoomIn;
    request.flipAveraging = choices.flipAveraging;
    request.patch = choices.patch;
    engine = openEngine(request);
  }
  if (engine->capabilities().dimension == 3 && choices.keepClickedObjectsOnly) return keepingClickedObjects(std::move(engine));
  return engine;
}

std::unique_ptr<SegmentationEngine> createInteractive2dEngine(const std::string& model, const std::string& weightsPath,
                                                              const std::string& device, const EngineChoices& choices) {
  const EngineCapabilities c = capabilitiesOfModel(model, 2);
  if (c.dimension == 3) throw std::invalid_argument(model + " segments 3D volumes, not 2D images");
  if (!c.takesClicks) throw std::invalid_argument(model + " segments automatically, without clicks");
  EngineChoices twoD = choices;
  twoD.dimension = 2;
  return createEngineByName(model, weightsPath, device, twoD);
}

std::unique_ptr<SegmentationEngine> createVolumeEngine(const std::string& model, const std::string& weightsPath, const std::string& device,
                                                       EngineChoices choices) {
  const EngineCapabilities c = capabilitiesOfModel(model, 3);
  if (c.dimension != 3) throw std::invalid_argument("unknown 3D model '" + model + "' (available: caiseg, classic)");
  choices.dimension = 3;
  return createEngineByName(model, weightsPath, device, choices);
}

std::unique_ptr<SegmentationEngine> createAutomaticEngine(const std::string& model, const std::string& weightsPath,
                                                          const std::string& device, const EngineChoices& choices) {
  if (!isAutomaticModel(model)) throw std::invalid_argument("unknown automatic model '" + model + "' (available: kmunet, kanunet)");
  return createEngineByName(model, weightsPath, device, choices);
}

} // namespace medclick::app
