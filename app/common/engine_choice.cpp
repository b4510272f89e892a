#include "common/engine_choice.h"

#include "common/model_weights.h"

#include "caiseg/caiseg_engine.h"
#include "classic/watershed_engine.h"
#include "ikan/ikan_engine.h"

#include <stdexcept>

namespace medclick::app {

std::unique_ptr<InteractiveEngine> createEngineByName(const std::string& model, const std::string& weightsPath, const std::string& device) {
  if (model == "classic") return createWatershedEngine();
  if (model == "ikan") {
    IkanEngineOptions options;
    options.weightsPath = weightsPath.empty() ? findBundledWeights("ikan") : weightsPath;
    options.device = device;
    return createIkanEngine(options);
  }
  if (isVolumeModel(model)) throw std::invalid_argument(model + " segments 3D volumes, not 2D images");
  throw std::invalid_argument("unknown model '" + model + "' (available: ikan, classic)");
}

bool isVolumeModel(const std::string& model) { return model == "caiseg"; }

std::unique_ptr<VolumeInteractiveEngine> createVolumeEngineByName(const std::string& model, const std::string& weightsPath,
                                                                  const std::string& device, const std::array<int, 3>& patch) {
  if (model != "caiseg") throw std::invalid_argument("unknown 3D model '" + model + "' (available: caiseg)");
  CaisegEngineOptions options;
  if (weightsPath.empty()) {
    try {
      options.weightsPath = findBundledWeights("caiseg");
    } catch (const std::runtime_error& e) {
      // findBundledWeights's message lists the folders searched; say first why none is there.
      throw std::runtime_error("MedClick does not ship trained CAISeg weights yet: " + std::string(e.what()));
    }
  } else {
    options.weightsPath = weightsPath;
  }
  options.device = device;
  options.patch = patch;
  return createCaisegEngine(options);
}

} // namespace medclick::app
