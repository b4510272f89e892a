// Writes the weights of an untrained small automatic segmenter (kmunet or kanunet) to the path given,
// with MedClick's metadata: a real safetensors file for the CLI tests, which must not depend on
// trained weights being installed. KM-UNet: 3 channels, 1 class, 64² input (fast on a CPU);
// KANU-Net: 1 channel (a grey image stands for one modality) unless a third argument gives the
// modalities (2 for the shared BraTS cases' FLAIR and T1c), 3 classes, 64² input.

#include "kanunet/kanunet_network.h"
#include "kanunet/kanunet_segmenter.h"
#include "kmunet/kmunet_network.h"
#include "kmunet/kmunet_segmenter.h"
#include "weights/safetensors.h"

#include <cstdlib>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  const std::string model = argc >= 3 ? argv[2] : "";
  const int channels = argc == 4 ? std::atoi(argv[3]) : 1;
  if ((model != "kmunet" && model != "kanunet") || argc > 4 || channels < 1) {
    std::cerr << "usage: write_segmenter_weights FILE kmunet|kanunet [MODALITIES]\n";
    return 1;
  }
  torch::manual_seed(0);
  if (model == "kmunet") {
    medclick::KmUnetNetwork network(medclick::KmUnetOptions::small());
    medclick::saveModuleWeights(*network, argv[1], medclick::kmunetWeightsMetadata("small", 64, 3, 1));
  } else {
    auto options = medclick::KanUnetOptions::small();
    options.inChannels = channels;
    options.classes = 3;
    medclick::KanUnetNetwork network(options);
    medclick::saveModuleWeights(*network, argv[1],
                                medclick::kanunetWeightsMetadata("small", 64, channels, 3, std::vector<double>(static_cast<size_t>(channels), 1.0)));
  }
  return 0;
}
