#pragma once
// Where the networks run: CUDA when present, the CPU otherwise, or what the user forces.

#include <torch/torch.h>

#include <string>

namespace medclick {

// requested: "auto", "cpu", "cuda" or "cuda:N". Throws std::invalid_argument for an unknown name or
// CUDA asked for on a machine without it.
torch::Device chooseDevice(const std::string& requested);

} // namespace medclick
