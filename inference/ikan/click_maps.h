#pragma once
// X_coord: positive and negative clicks as binary disks (RITM's DistMaps with use_disks), one channel
// each. Part of the model, so training and inference encode clicks the same way.

#include "engine/click.h"

#include <torch/torch.h>

namespace medclick {

// [2, height, width]: channel 0 is 1 within `radius` pixels of a positive click, channel 1 of a negative one.
torch::Tensor clickDiskMaps(const ClickList& clicks, int64_t height, int64_t width, double radius,
                            const torch::TensorOptions& options = {});

} // namespace medclick
