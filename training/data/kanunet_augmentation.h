#pragma once
// KANU-Net's augmentation (kanu-net-small-samples-brain-mri.md, "Data preprocessing": "occasional
// 90° rotations and occasional shifts"). Image and masks get the same transform; pixels shifted in
// from outside are background (0 in the uint8 cache, each modality's minimum; no class).

#include <torch/torch.h>

#include <random>
#include <vector>

namespace medclick {

struct SliceAugmentationOptions {
  double rotationProbability = 0.5; // then k·90°, k uniform in 1..3
  double shiftProbability = 0.5;    // then a shift of up to maxShift of the side along each axis
  double maxShift = 0.1;
};

struct SliceBatch {
  torch::Tensor images; // [B, C, S, S] uint8
  torch::Tensor masks;  // [B, K, S, S] uint8 0/1
};

// images [B, C, S, S], masks [B, K, S, S]; random: one stream per sample (as augmentBatch).
SliceBatch augmentSlices(const torch::Tensor& images, const torch::Tensor& masks, const SliceAugmentationOptions& options,
                         std::vector<std::mt19937_64>& random);

// Shifts [.., H, W] by (dy, dx) pixels, filling what enters with zeros.
torch::Tensor shiftWithZeros(const torch::Tensor& x, int64_t dy, int64_t dx);

} // namespace medclick
