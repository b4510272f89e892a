#pragma once
// Bilinear resizing of [B, C, H, W] maps between an image's own size and a network's input size,
// shared by every 2D engine: anti-aliased when shrinking an image, plain when bringing logits back.

#include <torch/torch.h>

namespace medclick {

torch::Tensor resizeBilinear(const torch::Tensor& x, int64_t height, int64_t width, bool antialias);

} // namespace medclick
