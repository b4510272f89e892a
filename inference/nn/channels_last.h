#pragma once
// The networks run channels-last (NHWC in memory): oneDNN's convolutions are up to 15× faster so for
// the thin full-resolution layers on a CPU. Two helpers keep tensors in that layout cheaply.

#include <torch/torch.h>

#include <vector>

namespace medclick {

torch::Tensor toChannelsLast(const torch::Tensor& x);

// torch::cat along channels of channels-last tensors takes a slow generic path in LibTorch 1.13
// (~20× slower): concatenating the NHWC views along their last dimension is a plain copy.
torch::Tensor concatenateChannels(const std::vector<torch::Tensor>& tensors);

} // namespace medclick
