// Writes the weights of an untrained slim CAISeg to the path given, with MedClick's metadata: a real
// safetensors file for the CLI tests (which must not depend on trained weights being installed).
//   write_caiseg_weights FILE [--anisotropic]

#include "inference/caiseg/caiseg_network.h"
#include "weights/safetensors.h"

#include <iostream>
#include <string>

int main(int argc, char** argv) {
  const bool anisotropic = argc == 3 && std::string(argv[2]) == "--anisotropic";
  if (argc < 2 || argc > 3 || (argc == 3 && !anisotropic)) {
    std::cerr << "usage: write_caiseg_weights FILE [--anisotropic]\n";
    return 1;
  }
  torch::manual_seed(0);
  const auto options = medclick::CaisegOptions::named("slim", anisotropic);
  medclick::CaisegNetwork network(options);
  medclick::saveModuleWeights(*network, argv[1], medclick::caisegWeightsMetadata(options));
  return 0;
}
