#include "eval/evaluation_clicker.h"

#include <opencv2/imgproc.hpp>

#include <stdexcept>

namespace medclick {

namespace {

struct Deepest {
  float distance = 0.0f;
  int x = -1, y = -1;
};

// Largest distance to the region's outside (the image border counts as outside, via the 1-px
// padding), first in row-major order among equals, skipping clicked pixels.
Deepest deepestPixel(const cv::Mat& region, const std::vector<uint8_t>& clicked, int width) {
  cv::Mat padded;
  cv::copyMakeBorder(region, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, cv::Scalar(0));
  cv::Mat distance;
  cv::distanceTransform(padded, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE, CV_32F);
  Deepest best;
  for (int y = 0; y < region.rows; ++y) {
    const float* row = distance.ptr<float>(y + 1) + 1;
    for (int x = 0; x < region.cols; ++x) {
      if (clicked[static_cast<size_t>(y) * width + x]) continue;
      if (row[x] > best.distance) best = {row[x], x, y};
    }
  }
  return best;
}

} // namespace

EvaluationClicker::EvaluationClicker(const std::vector<uint8_t>& groundTruth, int width, int height)
    : groundTruth_(groundTruth), clicked_(groundTruth.size(), 0), width_(width), height_(height) {
  if (groundTruth.size() != static_cast<size_t>(width) * height) throw std::invalid_argument("EvaluationClicker: mask size mismatch");
}

std::optional<Click> EvaluationClicker::next(const std::vector<uint8_t>& prediction) {
  if (prediction.size() != groundTruth_.size()) throw std::invalid_argument("EvaluationClicker: prediction size mismatch");
  cv::Mat missed(height_, width_, CV_8U), falseAlarm(height_, width_, CV_8U);
  for (size_t i = 0; i < prediction.size(); ++i) {
    const bool object = groundTruth_[i] != 0, predicted = prediction[i] != 0;
    missed.data[i] = object && !predicted ? 1 : 0;
    falseAlarm.data[i] = !object && predicted ? 1 : 0;
  }
  const Deepest fn = deepestPixel(missed, clicked_, width_);
  const Deepest fp = deepestPixel(falseAlarm, clicked_, width_);
  if (fn.x < 0 && fp.x < 0) return std::nullopt;
  const bool positive = fn.distance >= fp.distance; // a tie favours the missed object
  const Deepest& chosen = positive ? fn : fp;
  clicked_[static_cast<size_t>(chosen.y) * width_ + chosen.x] = 1;
  clicks_.push_back({static_cast<double>(chosen.x), static_cast<double>(chosen.y), positive});
  return clicks_.back();
}

} // namespace medclick
