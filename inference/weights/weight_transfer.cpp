#include "weights/weight_transfer.h"

#include "weights/safetensors.h"

namespace medclick {

WeightTransferReport transferMatchingWeights(torch::nn::Module& module, const std::string& path) {
  const SafetensorsContent content = loadSafetensors(path);
  auto state = moduleState(module);
  WeightTransferReport report;
  torch::NoGradGuard noGrad;
  for (auto& [name, tensor] : state) {
    report.moduleValues += static_cast<std::size_t>(tensor.numel());
    const auto found = content.tensors.find(name);
    if (found == content.tensors.end()) {
      report.notInFile.push_back(name);
    } else if (found->second.sizes() != tensor.sizes()) {
      report.misShaped.push_back(name);
    } else {
      tensor.copy_(found->second.to(tensor.dtype()));
      report.copied.push_back(name);
      report.copiedValues += static_cast<std::size_t>(tensor.numel());
    }
  }
  if (report.copied.empty()) throw WeightsError(path, "shares no tensor (same name and shape) with this model: nothing to transfer");
  return report;
}

} // namespace medclick
