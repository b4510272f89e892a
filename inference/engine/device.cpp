#include "engine/device.h"

#include <stdexcept>

namespace medclick {

torch::Device chooseDevice(const std::string& requested) {
  if (requested.empty() || requested == "auto") return torch::cuda::is_available() ? torch::Device("cuda:0") : torch::Device(torch::kCPU);
  if (requested == "cpu") return torch::Device(torch::kCPU);
  if (requested.rfind("cuda", 0) == 0) {
    if (!torch::cuda::is_available()) throw std::invalid_argument("device '" + requested + "' asked for, but CUDA is not available here");
    return torch::Device(requested == "cuda" ? "cuda:0" : requested);
  }
  throw std::invalid_argument("unknown device '" + requested + "' (use auto, cpu or cuda)");
}

} // namespace medclick
