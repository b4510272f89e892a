#pragma once
// Transfer learning between MedClick's own models: copy into a module every tensor of a weights file
// that has the same name and shape, and leave the rest as initialised. KM-UNet's small variant shares
// U-KAN's layout and widths with IKAN's (conv stages, PatchEmbeds, tokenized KAN blocks, decoder), so
// a KM-UNet can start from the encoder and decoder that IKAN learned on the same ultrasound training
// cases; only its input conv (3 channels, not HICAM's 16), its SS2D + EMA blocks and its head are new.
// Unlike loadModuleWeights this never fails on a mismatch: the report says what was taken.

#include <torch/torch.h>

#include <string>
#include <vector>

namespace medclick {

struct WeightTransferReport {
  std::vector<std::string> copied;      // names taken from the file
  std::vector<std::string> misShaped;   // same name, other shape: left as initialised
  std::vector<std::string> notInFile;   // the module's tensors the file lacks
  std::size_t copiedValues = 0;         // elements copied
  std::size_t moduleValues = 0;         // elements of the module
};

// Throws WeightsError when the file cannot be read, or when it shares no tensor with the module (a
// file of another kind of model entirely is a mistake, not a transfer).
WeightTransferReport transferMatchingWeights(torch::nn::Module& module, const std::string& path);

} // namespace medclick
