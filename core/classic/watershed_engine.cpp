#include "classic/watershed_engine.h"

#include <opencv2/imgproc.hpp>

#include <stdexcept>

namespace medclick {

namespace {

constexpr int kSeedRadius = 3; // pixels around each click that are certain
constexpr int kBackground = 1, kObject = 2;

class WatershedEngine : public InteractiveEngine {
public:
  std::string name() const override { return "classic (watershed)"; }
  std::string deviceName() const override { return "cpu"; }

  void setImage(const float* pixels, int width, int height, int channels) override {
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3)) throw std::invalid_argument("watershed takes a 2D grey or RGB image");
    cv::Mat image(height, width, channels == 1 ? CV_32FC1 : CV_32FC3, const_cast<float*>(pixels));
    cv::Mat grey;
    if (channels == 3)
      cv::cvtColor(image, grey, cv::COLOR_RGB2GRAY);
    else
      grey = image;
    cv::Mat scaled;
    cv::normalize(grey, scaled, 0, 255, cv::NORM_MINMAX, CV_8U);
    // Speckle (ultrasound) and noise would make a basin per grain: smooth before flooding.
    cv::Mat smooth;
    cv::GaussianBlur(scaled, smooth, cv::Size(0, 0), 2.0);
    cv::cvtColor(smooth, image_, cv::COLOR_GRAY2BGR); // cv::watershed wants 8-bit, 3 channels
  }

  std::vector<float> refine(const ClickList& clicks, size_t, const float*) override {
    if (image_.empty()) throw std::logic_error("watershed: refine() before setImage()");
    cv::Mat markers = cv::Mat::zeros(image_.size(), CV_32S);
    // The border is background: an object never fills the whole picture.
    cv::rectangle(markers, cv::Rect(0, 0, markers.cols, markers.rows), cv::Scalar(kBackground), 1);
    for (const Click& c : clicks)
      cv::circle(markers, cv::Point(static_cast<int>(c.x + 0.5), static_cast<int>(c.y + 0.5)), kSeedRadius,
                 cv::Scalar(c.positive ? kObject : kBackground), cv::FILLED);
    cv::watershed(image_, markers);
    std::vector<float> probability(static_cast<size_t>(markers.total()));
    for (int y = 0; y < markers.rows; ++y) {
      const int* row = markers.ptr<int>(y);
      for (int x = 0; x < markers.cols; ++x) probability[static_cast<size_t>(y) * markers.cols + x] = row[x] == kObject ? 1.0f : 0.0f;
    }
    return probability;
  }

private:
  cv::Mat image_;
};

} // namespace

std::unique_ptr<InteractiveEngine> createWatershedEngine() { return std::make_unique<WatershedEngine>(); }

} // namespace medclick
