#pragma once
// A stand-in for an automatic segmenter's probability map (KM-UNet's first mask), drawn from the
// ground truth, so that IKAN also learns round one from a non-empty previous mask X_prev: the case
// of `evaluate --init kmunet` and the GUI's Auto button, where the first click corrects an imperfect
// automatic mask. Without it IKAN only ever saw an empty X_prev with one click, and a first click on
// an automatic mask lowered the IoU instead of raising it.
//
// The errors are those an automatic segmenter makes on ultrasound: a boundary grown or shrunk, a
// shifted mask, a missed part of the object, a false alarm elsewhere (a shadow that looks like a
// lesion), or nothing found at all; the result is blurred and scaled like a network's soft output.

#include <torch/torch.h>

#include <random>
#include <vector>

namespace medclick {

struct SimulatedAutomaticMaskOptions {
  int maxBoundaryShift = 10;       // grow or shrink the object by up to this many pixels
  double maxOffsetFraction = 0.08; // shift it by up to this share of the image size
  double missedPartProbability = 0.3;
  double falseAlarmProbability = 0.4;
  double missedObjectProbability = 0.1; // the segmenter found nothing of the object
  int maxBlurRadius = 5;
  double minConfidence = 0.7;      // the highest probability of the map lies in [minConfidence, 1]
};

// target: [B, 1, H, W] float with 1 (object), 0 and -1 (ignored). Returns [B, 1, H, W] float
// probabilities in [0, 1], one independent draw per sample from its own random stream.
torch::Tensor simulatedAutomaticProbability(const torch::Tensor& target, std::vector<std::mt19937_64>& random,
                                            const SimulatedAutomaticMaskOptions& options = {});

} // namespace medclick
