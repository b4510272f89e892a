#pragma once
// KANU-Net's pre-processing (kanu-net-small-samples-brain-mri.md, "Data preprocessing"), one place
// for the trainer and the segmenter so that they cannot drift apart:
//   1) each modality min–max scaled to [−1, 1];
//   2) a gamma correction per modality (1.0 T1, 1.5 T1c, 1.5 T2, 1.2 FLAIR);
//   3) a 224×224 crop centred on the brain.
// The gamma is applied on the [0, 1] scale before the final affine map (u = (x − min)/(max − min),
// u^γ, 2u − 1), the one order in which a power of a signed value is defined.

#include <torch/torch.h>

namespace medclick {

// A square window of the image in pixels; it may reach past the image (padded there).
struct CropBox {
  int64_t top = 0, left = 0, side = 0;
};

// The paper's brain-centred crop: a square of `side` pixels centred on the bounding box of the
// pixels above the background (any channel above its own minimum). An object larger than `side`
// widens the square to hold all of it (the caller then resizes it to the network's size). An image
// with no foreground is cropped about its centre. image: [C, H, W].
CropBox brainCentredCrop(const torch::Tensor& image, int64_t side);

// The box cut out of image [C, H, W] ([C, side, side]); outside the image each channel is padded
// with its own minimum (the background).
torch::Tensor cropWithPadding(const torch::Tensor& image, const CropBox& box);

// Steps 1–2 for a batch [B, C, H, W] of any intensity range; gamma: [C] (one per modality).
torch::Tensor kanunetNetworkInput(const torch::Tensor& images, const torch::Tensor& gamma);

} // namespace medclick
