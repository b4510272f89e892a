#include "eval/click_curve_plot.h"

#include "io/image_io_error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace medclick {

void writeClickCurvePlot(const std::vector<ClickCurve>& curves, const std::string& pngPath, const std::string& axisLabel) {
  const int width = 720, height = 480, left = 70, right = 20, top = 30, bottom = 60;
  cv::Mat plot(height, width, CV_8UC3, cv::Scalar(255, 255, 255));
  size_t clicks = 1;
  for (const auto& c : curves) clicks = std::max(clicks, c.meanPerClick.size());
  const auto px = [&](double k) { return left + static_cast<int>((k - 1) / std::max<double>(1.0, static_cast<double>(clicks) - 1) * (width - left - right)); };
  const auto py = [&](double score) { return top + static_cast<int>((1.0 - score) * (height - top - bottom)); };
  const cv::Scalar grid(220, 220, 220), ink(40, 40, 40);
  for (int i = 0; i <= 10; ++i) {
    cv::line(plot, {left, py(i / 10.0)}, {width - right, py(i / 10.0)}, grid, 1);
    cv::putText(plot, cv::format("%.1f", i / 10.0), {left - 40, py(i / 10.0) + 5}, cv::FONT_HERSHEY_SIMPLEX, 0.4, ink, 1, cv::LINE_AA);
  }
  for (size_t k = 1; k <= clicks; ++k)
    cv::putText(plot, std::to_string(k), {px(static_cast<double>(k)) - 5, height - bottom + 18}, cv::FONT_HERSHEY_SIMPLEX, 0.4, ink, 1, cv::LINE_AA);
  cv::putText(plot, "clicks", {width / 2 - 20, height - 15}, cv::FONT_HERSHEY_SIMPLEX, 0.5, ink, 1, cv::LINE_AA);
  cv::putText(plot, axisLabel, {5, 18}, cv::FONT_HERSHEY_SIMPLEX, 0.5, ink, 1, cv::LINE_AA);
  const cv::Scalar colours[] = {{200, 80, 20}, {30, 30, 200}, {40, 150, 40}, {150, 40, 150}, {20, 140, 200}};
  for (size_t c = 0; c < curves.size(); ++c) {
    const auto& values = curves[c].meanPerClick;
    const cv::Scalar colour = colours[c % 5];
    for (size_t k = 1; k < values.size(); ++k)
      cv::line(plot, {px(static_cast<double>(k)), py(values[k - 1])}, {px(static_cast<double>(k + 1)), py(values[k])}, colour, 2, cv::LINE_AA);
  }
  // The legend last, on a white box in the lower right, where the curves have risen above it.
  const int rows = static_cast<int>(curves.size());
  const cv::Rect box(width - right - 370, height - bottom - 12 - 20 * rows, 365, 20 * rows + 6);
  cv::rectangle(plot, box, cv::Scalar(255, 255, 255), cv::FILLED);
  cv::rectangle(plot, box, grid, 1);
  for (int c = 0; c < rows; ++c) {
    const int y = box.y + 16 + 20 * c;
    cv::line(plot, {box.x + 6, y - 4}, {box.x + 26, y - 4}, colours[c % 5], 2, cv::LINE_AA);
    cv::putText(plot, curves[static_cast<size_t>(c)].label, {box.x + 32, y}, cv::FONT_HERSHEY_SIMPLEX, 0.42, ink, 1, cv::LINE_AA);
  }
  if (!cv::imwrite(pngPath, plot)) throw ImageIOError(pngPath, "cannot write the plot");
}

} // namespace medclick
