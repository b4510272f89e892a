#include "classic/watershed_engine.h"

#include <opencv2/imgproc.hpp>

#include <stdexcept>

namespace medclick {

namespace {

constexpr int kSeedRadius = 3; // pixels around each click that are certain
constexpr int kBackground = 1, kObject = 2;

class WatershedEngine : public SegmentationEngine {
public:
  std::string name() const override { return "classic (watershed)"; }
  std::string deviceName() const override { return "cpu"; }

  EngineCapabilities capabilities() const override {
    EngineCapabilities c;
    c.dimension = 2;
    c.channels = {1, 3};
    return c;
  }

  void setImage(const EngineImage& given) override {
    const int width = static_cast<int>(given.size[0]), height = static_cast<int>(given.size[1]), channels = given.channels;
    const float* pixels = given.voxels;
    if (width <= 0 || height <= 0 || given.size[2] != 1 || (channels != 1 && channels != 3))
      throw std::invalid_argument("watershed takes a 2D grey or RGB image");
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

  VoxelBox refine(const VolumeClickList& clicks, std::size_t, float* probability) override {
    if (image_.empty()) throw std::logic_error("watershed: refine() before setImage()");
    if (clicks.empty()) throw std::logic_error("watershed: needs at least one click (it has no automatic mode)");
    cv::Mat markers = cv::Mat::zeros(image_.size(), CV_32S);
    // The border is background: an object never fills the whole picture.
    cv::rectangle(markers, cv::Rect(0, 0, markers.cols, markers.rows), cv::Scalar(kBackground), 1);
    for (const VolumeClick& c : clicks)
      cv::circle(markers, cv::Point(static_cast<int>(c.i + 0.5), static_cast<int>(c.j + 0.5)), kSeedRadius,
                 cv::Scalar(c.positive ? kObject : kBackground), cv::FILLED);
    cv::watershed(image_, markers);
    for (int y = 0; y < markers.rows; ++y) {
      const int* row = markers.ptr<int>(y);
      for (int x = 0; x < markers.cols; ++x) probability[static_cast<size_t>(y) * markers.cols + x] = row[x] == kObject ? 1.0f : 0.0f;
    }
    return VoxelBox::whole({static_cast<std::size_t>(markers.cols), static_cast<std::size_t>(markers.rows), 1});
  }

private:
  cv::Mat image_;
};

} // namespace

std::unique_ptr<SegmentationEngine> createWatershedEngine() { return std::make_unique<WatershedEngine>(); }

} // namespace medclick
