#include "eval/training_curves_plot.h"

#include "io/image_io_error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace medclick {

namespace {

std::vector<std::string> splitCells(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream stream(line);
  for (std::string cell; std::getline(stream, cell, ',');) cells.push_back(cell);
  return cells;
}

double finiteNumber(const std::string& csvPath, int lineNumber, const std::string& column, const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value))
    throw ImageIOError(csvPath, "line " + std::to_string(lineNumber) + ": " + column + " '" + text + "' is not a finite number");
  return value;
}

// "val_miou_at_5_clicks" reads as "validation mIoU after 5 clicks"; another metric keeps its name.
std::string metricTitle(const std::string& column) {
  const std::string prefix = "val_miou_at_", suffix = "_clicks";
  if (column.size() > prefix.size() + suffix.size() && column.compare(0, prefix.size(), prefix) == 0 &&
      column.compare(column.size() - suffix.size(), suffix.size(), suffix) == 0)
    return "validation mIoU after " + column.substr(prefix.size(), column.size() - prefix.size() - suffix.size()) + " clicks";
  return column;
}

struct Ticks {
  double low, high, step;
};

// About five round steps (1, 2, 2.5 or 5 × 10^k) that cover [minimum, maximum].
Ticks roundTicks(double minimum, double maximum) {
  if (!(maximum > minimum)) { // one value, or a flat curve: give it some room around
    const double pad = std::max(std::abs(minimum) * 0.1, 0.05);
    minimum -= pad;
    maximum += pad;
  }
  const double raw = (maximum - minimum) / 5.0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10.0 * magnitude;
  for (const double factor : {1.0, 2.0, 2.5, 5.0})
    if (factor * magnitude >= raw) {
      step = factor * magnitude;
      break;
    }
  return {std::floor(minimum / step) * step, std::ceil(maximum / step) * step, step};
}

std::string tickLabel(double value, double step) {
  int decimals = 0;
  while (decimals < 6 && std::abs(step * std::pow(10.0, decimals) - std::round(step * std::pow(10.0, decimals))) > 1e-6) ++decimals;
  return cv::format("%.*f", decimals, std::abs(value) < step * 1e-6 ? 0.0 : value);
}

int epochTickStep(int span) {
  for (const int step : {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000})
    if (span / step <= 10) return step;
  return std::max(1, span / 10);
}

const cv::Scalar kGrid(225, 225, 225), kInk(40, 40, 40), kFrame(150, 150, 150);

void drawPanel(cv::Mat& plot, const cv::Rect& area, const std::vector<int>& epochs, const std::vector<double>& values,
               const std::string& title, const cv::Scalar& colour, bool markMaximum) {
  const auto [minIt, maxIt] = std::minmax_element(values.begin(), values.end());
  const Ticks ticks = roundTicks(*minIt, *maxIt);
  const int first = epochs.front(), last = epochs.back();
  const int inset = 12; // keeps the first and last epochs' dots off the frame
  const auto px = [&](double epoch) {
    if (last == first) return area.x + area.width / 2;
    return area.x + inset + static_cast<int>(std::lround((epoch - first) / (last - first) * (area.width - 2 * inset)));
  };
  const auto py = [&](double value) {
    return area.y + static_cast<int>(std::lround((ticks.high - value) / (ticks.high - ticks.low) * area.height));
  };

  for (double v = ticks.low; v <= ticks.high + ticks.step * 1e-6; v += ticks.step) {
    cv::line(plot, {area.x, py(v)}, {area.x + area.width, py(v)}, kGrid, 1);
    const std::string label = tickLabel(v, ticks.step);
    int baseline = 0;
    const cv::Size text = cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX, 0.4, 1, &baseline);
    cv::putText(plot, label, {area.x - text.width - 8, py(v) + text.height / 2}, cv::FONT_HERSHEY_SIMPLEX, 0.4, kInk, 1, cv::LINE_AA);
  }
  const int epochStep = epochTickStep(last - first);
  for (int e = (first + epochStep - 1) / epochStep * epochStep; e <= last; e += epochStep) {
    if (e < first) continue;
    cv::line(plot, {px(e), area.y + area.height}, {px(e), area.y + area.height + 4}, kFrame, 1);
    const std::string label = std::to_string(e);
    const cv::Size text = cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX, 0.4, 1, nullptr);
    cv::putText(plot, label, {px(e) - text.width / 2, area.y + area.height + 18}, cv::FONT_HERSHEY_SIMPLEX, 0.4, kInk, 1, cv::LINE_AA);
  }
  cv::rectangle(plot, area, kFrame, 1);
  cv::putText(plot, title, {area.x, area.y - 10}, cv::FONT_HERSHEY_SIMPLEX, 0.55, kInk, 1, cv::LINE_AA);

  for (size_t i = 1; i < values.size(); ++i)
    cv::line(plot, {px(epochs[i - 1]), py(values[i - 1])}, {px(epochs[i]), py(values[i])}, colour, 2, cv::LINE_AA);
  // Dots make a one-epoch run visible and show where each epoch's value lies on a long straight stretch.
  if (values.size() <= 60)
    for (size_t i = 0; i < values.size(); ++i) cv::circle(plot, {px(epochs[i]), py(values[i])}, 3, colour, cv::FILLED, cv::LINE_AA);

  // The trainer keeps the epoch with the highest validation metric as best.safetensors: say which.
  if (markMaximum) {
    const auto best = static_cast<size_t>(maxIt - values.begin());
    const cv::Point at(px(epochs[best]), py(values[best]));
    cv::circle(plot, at, 7, kInk, 1, cv::LINE_AA);
    const std::string note = cv::format("best %.4f at epoch %d", values[best], epochs[best]);
    const cv::Size text = cv::getTextSize(note, cv::FONT_HERSHEY_SIMPLEX, 0.45, 1, nullptr);
    cv::putText(plot, note, {area.x + area.width - text.width, area.y - 10}, cv::FONT_HERSHEY_SIMPLEX, 0.45, kInk, 1, cv::LINE_AA);
  }
}

} // namespace

TrainingCurves readTrainingMetrics(const std::string& csvPath) {
  std::ifstream in(csvPath);
  if (!in) throw ImageIOError(csvPath, "cannot open the training metrics");
  TrainingCurves curves;
  int epochColumn = -1, lossColumn = -1, validationColumn = -1;
  int lineNumber = 0;
  for (std::string line; std::getline(in, line);) {
    ++lineNumber;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto cells = splitCells(line);
    if (cells.front() == "epoch") {
      // The trainer writes a header only when a run starts from scratch: rows above it belong to an
      // earlier run in the same folder.
      curves = TrainingCurves{};
      epochColumn = lossColumn = validationColumn = -1;
      for (size_t c = 0; c < cells.size(); ++c) {
        if (cells[c] == "epoch") epochColumn = static_cast<int>(c);
        else if (cells[c] == "train_loss") lossColumn = static_cast<int>(c);
        else if (validationColumn < 0 && cells[c].compare(0, 4, "val_") == 0) validationColumn = static_cast<int>(c);
      }
      if (lossColumn < 0 || validationColumn < 0)
        throw ImageIOError(csvPath, "line " + std::to_string(lineNumber) + ": the header lacks a train_loss or val_* column");
      curves.validationColumn = cells[static_cast<size_t>(validationColumn)];
      continue;
    }
    if (epochColumn < 0)
      throw ImageIOError(csvPath, "line " + std::to_string(lineNumber) + ": values before the header (epoch,train_loss,val_...)");
    if (cells.size() <= static_cast<size_t>(std::max({epochColumn, lossColumn, validationColumn})))
      throw ImageIOError(csvPath, "line " + std::to_string(lineNumber) + ": fewer values than the header has columns");
    const double epochValue = finiteNumber(csvPath, lineNumber, "epoch", cells[static_cast<size_t>(epochColumn)]);
    const int epoch = static_cast<int>(epochValue);
    if (epoch != epochValue || epoch < 1)
      throw ImageIOError(csvPath, "line " + std::to_string(lineNumber) + ": epoch '" + cells[static_cast<size_t>(epochColumn)] +
                                      "' is not a positive whole number");
    const double loss = finiteNumber(csvPath, lineNumber, "train_loss", cells[static_cast<size_t>(lossColumn)]);
    const double metric = finiteNumber(csvPath, lineNumber, curves.validationColumn, cells[static_cast<size_t>(validationColumn)]);
    // A job killed after writing an epoch's row but before its checkpoint runs that epoch again on
    // --resume: the later row is the one the checkpoints continue from.
    while (!curves.epochs.empty() && curves.epochs.back() >= epoch) {
      curves.epochs.pop_back();
      curves.trainLoss.pop_back();
      curves.validationMetric.pop_back();
    }
    curves.epochs.push_back(epoch);
    curves.trainLoss.push_back(loss);
    curves.validationMetric.push_back(metric);
  }
  if (curves.epochs.empty()) throw ImageIOError(csvPath, "no finished epoch in the training metrics");
  return curves;
}

void writeTrainingCurvesPlot(const TrainingCurves& curves, const std::string& pngPath) {
  if (curves.epochs.empty() || curves.trainLoss.size() != curves.epochs.size() || curves.validationMetric.size() != curves.epochs.size())
    throw ImageIOError(pngPath, "training curves need one loss and one validation value per epoch");
  const int width = 800, height = 600, left = 80, right = 30;
  cv::Mat plot(height, width, CV_8UC3, cv::Scalar(255, 255, 255));
  const cv::Rect upper(left, 40, width - left - right, 220), lower(left, 330, width - left - right, 220);
  drawPanel(plot, upper, curves.epochs, curves.trainLoss, "training loss", cv::Scalar(200, 80, 20), false);
  drawPanel(plot, lower, curves.epochs, curves.validationMetric, metricTitle(curves.validationColumn), cv::Scalar(40, 150, 40), true);
  cv::putText(plot, "epoch", {left + upper.width / 2 - 20, height - 12}, cv::FONT_HERSHEY_SIMPLEX, 0.5, kInk, 1, cv::LINE_AA);
  // Rewritten after every epoch while someone may have it open: write aside, then rename into place.
  // The temporary name keeps the .png ending that tells OpenCV the format.
  const std::string partial = pngPath + ".partial.png";
  if (!cv::imwrite(partial, plot)) throw ImageIOError(pngPath, "cannot write the plot");
  std::error_code error;
  std::filesystem::rename(partial, pngPath, error);
  if (error) throw ImageIOError(pngPath, "cannot replace the plot: " + error.message());
}

void writeTrainingCurvesPlot(const std::string& csvPath, const std::string& pngPath) {
  writeTrainingCurvesPlot(readTrainingMetrics(csvPath), pngPath);
}

} // namespace medclick
