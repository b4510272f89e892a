#pragma once
// IKAN §3's augmentation of a training batch: random resize, horizontal flip, padding, random crop
// to the network size, brightness and contrast. Image and mask get the same geometric transform;
// padded pixels are marked -1 in the target (ignored by the loss, eq. 1).

#include <torch/torch.h>

#include <random>

namespace medclick {

struct AugmentationOptions {
  int64_t outputSize = 256;
  double minScale = 0.75, maxScale = 1.4;  // of the output size, per side
  double flipProbability = 0.5;
  double brightness = 0.2, contrast = 0.2; // ± fraction
};

struct AugmentedBatch {
  torch::Tensor images;  // [B, 1, S, S] float in [0, 1] (before normalization)
  torch::Tensor targets; // [B, 1, S, S] float: 1 object, 0 background, -1 padding
};

// images, masks: [B, 1, H, W] uint8 (masks 0/1). random: one stream per sample (sample b's
// transform depends on random[b] alone, so a batch split over processes augments alike).
AugmentedBatch augmentBatch(const torch::Tensor& images, const torch::Tensor& masks, const AugmentationOptions& options,
                            std::vector<std::mt19937_64>& random);

// The deterministic counterpart for validation: resize to the output size, no padding.
AugmentedBatch resizeBatch(const torch::Tensor& images, const torch::Tensor& masks, int64_t outputSize);

// IKAN's network input from [B, 1, S, S] images in [0, 1]: per-image z-score, repeated to 3 channels
// (the engine does the same on the raw intensities).
torch::Tensor normalizeForNetwork(const torch::Tensor& images);

} // namespace medclick
