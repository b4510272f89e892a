#pragma once
// The engine a command asks for by name (--model), shared by the CLI (segment, evaluate) and the GUI:
// "ikan" with given or bundled weights, or "classic" (watershed, no weights).

#include "engine/interactive_engine.h"

#include <memory>
#include <string>

namespace medclick::app {

// weightsPath empty: the bundled weights. Throws std::invalid_argument for an unknown model.
std::unique_ptr<InteractiveEngine> createEngineByName(const std::string& model, const std::string& weightsPath, const std::string& device);

} // namespace medclick::app
