#pragma once
// The simulated user of the evaluation protocol (RITM's NoBRS clicker, as the IKAN paper uses it):
// the false-negative (gt ∧ ¬pred) and false-positive (¬gt ∧ pred) maps, each padded by 1 px, go
// through OpenCV's exact L2 distance transform; pixels already clicked are zeroed; the next click
// goes to the maximum of whichever map has the larger maximum — positive for FN, negative for FP —
// and ties break at the first pixel in row-major order. With an empty prediction the first click is
// therefore positive, at the object's most interior point.

#include "engine/click.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace medclick {

class EvaluationClicker {
public:
  // groundTruth: width*height, non-zero = object.
  EvaluationClicker(const std::vector<uint8_t>& groundTruth, int width, int height);

  // The next click for this prediction (width*height, non-zero = object), or nullopt when there is
  // no error left to click on. The click is remembered, so it is never placed twice.
  std::optional<Click> next(const std::vector<uint8_t>& prediction);

  const ClickList& clicks() const { return clicks_; }

private:
  std::vector<uint8_t> groundTruth_;
  std::vector<uint8_t> clicked_;
  int width_, height_;
  ClickList clicks_;
};

} // namespace medclick
