// Writes the weights of an untrained small IKAN to the path given, with MedClick's metadata: a real
// safetensors file for the CLI tests (which must not depend on trained weights being installed).

#include "inference/ikan/ikan_engine.h"
#include "inference/ikan/ikan_network.h"
#include "weights/safetensors.h"

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: write_ikan_weights FILE\n";
    return 1;
  }
  torch::manual_seed(0);
  medclick::IkanNetwork network(medclick::IkanOptions::small());
  medclick::saveModuleWeights(*network, argv[1], medclick::ikanWeightsMetadata("small", 256));
  return 0;
}
