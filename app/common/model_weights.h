#pragma once
// Where the bundled weights of a model are found, for commands given no --weights:
// $MEDCLICK_WEIGHTS_DIR, then <prefix>/share/medclick/models beside the installed binary, then the
// source tree's resources/models (a build run in place).

#include <string>
#include <vector>

namespace medclick::app {

std::vector<std::string> weightsSearchFolders();
// The path of MODEL.safetensors (e.g. "ikan") in the first folder that has it; throws a message that
// lists the folders searched when none does. Random weights are never used in its place.
std::string findBundledWeights(const std::string& model);

// The model a weights file names in its safetensors metadata ("ikan", "kmunet", ...), read from the
// header alone; empty when it names none. Throws a message naming the file when it is not safetensors.
std::string modelNamedInWeights(const std::string& path);

} // namespace medclick::app
