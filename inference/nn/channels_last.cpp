#include "nn/channels_last.h"

namespace medclick {

torch::Tensor toChannelsLast(const torch::Tensor& x) { return x.contiguous(torch::MemoryFormat::ChannelsLast); }

torch::Tensor concatenateChannels(const std::vector<torch::Tensor>& tensors) {
  std::vector<torch::Tensor> nhwc;
  nhwc.reserve(tensors.size());
  for (const auto& t : tensors) nhwc.push_back(toChannelsLast(t).permute({0, 2, 3, 1}));
  return torch::cat(nhwc, 3).permute({0, 3, 1, 2});
}

} // namespace medclick
