#pragma once
// IKAN §2.2: the previous probability map is modulated around each new click before the side branch
// reads it, so a click corrects a large error at once instead of waiting for the network.
//   IKAN eq. (3) R = min(R_max, max(R_min, ½ · min over earlier opposite-label clicks v of ‖u − v‖))
//   IKAN eq. (4) M(x) = α (1 − ‖x − u‖ / R) for ‖x − u‖ ≤ R, else 0
//   IKAN eq. (5) P̃(x) = P(x)^(1/γ) + M(x) (positive u), P(x)^γ − M(x) (negative u), inside R; P elsewhere
// then clamped to [0, 1]; with α = 1 a positive click centre becomes 1 and a negative one 0.
// Positions and radii are in pixels of the map being modulated.

#include "engine/click.h"

#include <torch/torch.h>

namespace medclick {

struct ModulationOptions {
  double rMin = 6.0;        // at referenceSize; scaled with the map's size
  double rMax = 25.0;
  double alpha = 1.0;       // mask intensity α
  double gamma = 2.0;       // γ > 1: sharpens for positive clicks, smooths for negative ones
  double referenceSize = 256.0;

  // R_min and R_max for a map whose shorter side has this many pixels.
  double scaleFor(int64_t height, int64_t width) const;
};

// IKAN eq. (3). earlier: the clicks placed before u (only those of the other label count).
double modulationRadius(const Click& u, const ClickList& earlier, double rMin, double rMax);

// IKAN eq. (4) on a [height, width] grid.
torch::Tensor linearModulationMask(int64_t height, int64_t width, const Click& u, double radius, double alpha,
                                   const torch::TensorOptions& options = {});

// IKAN eq. (5) for one click; probability is [..., H, W] in [0, 1], the result is clamped to [0, 1].
torch::Tensor modulateProbability(const torch::Tensor& probability, const Click& u, const ClickList& earlier,
                                  const ModulationOptions& options);

// Applies IKAN eq. (3)–(5) for clicks[firstNew], clicks[firstNew + 1], ... in order, each seeing all the
// clicks before it: the map a new round's side branch reads.
torch::Tensor modulateForNewClicks(const torch::Tensor& probability, const ClickList& clicks, size_t firstNew,
                                   const ModulationOptions& options);

} // namespace medclick
