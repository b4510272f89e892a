#pragma once
// The simulated user of iterative training (RITM-style), in torch ops so it runs where the model
// runs: the next click goes into the larger error region — a missed object part (positive click) or
// a false alarm (negative click) — at its most interior pixel. Interior depth is the number of 3×3
// erosions a pixel survives (a chessboard distance to the region's border, capped), which ranks
// pixels as the evaluation protocol's exact L2 distance transform does, up to ties.

#include "engine/click.h"

#include <torch/torch.h>

#include <optional>
#include <random>
#include <vector>

namespace medclick {

// mask: [B, 1, H, W] 0/1. Pixels outside the image count as background, so a region touching the
// border has depth 1 there. Returns [B, 1, H, W] float depths (0 outside the mask).
torch::Tensor erosionDepth(const torch::Tensor& mask, int maxDepth);

// One click per sample, or nullopt where prediction and target agree everywhere that counts.
// prediction: [B, 1, H, W] bool; target: [B, 1, H, W] float with 1, 0 and -1 (ignored).
// randomTies: one random stream per sample; among equally deep pixels pick at random (training)
// instead of the first in row-major order (nullptr: validation, as the evaluation protocol does).
std::vector<std::optional<Click>> nextErrorClicks(const torch::Tensor& prediction, const torch::Tensor& target,
                                                  std::vector<std::mt19937_64>* randomTies, int maxDepth = 24);

} // namespace medclick
