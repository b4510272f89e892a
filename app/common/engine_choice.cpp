#include "common/engine_choice.h"

#include "common/model_weights.h"

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
  throw std::invalid_argument("unknown model '" + model + "' (available: ikan, classic)");
}

} // namespace medclick::app
