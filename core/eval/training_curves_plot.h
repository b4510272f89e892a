#pragma once
// curves.png of a training run: the training loss (upper panel) and the validation metric (lower
// panel) against the epoch, read from the metrics.csv the trainer appends to after every epoch
// ("epoch,train_loss,val_...,seconds"), drawn with OpenCV.

#include <string>
#include <vector>

namespace medclick {

struct TrainingCurves {
  std::string validationColumn;          // the CSV's name of the metric, e.g. "val_miou_at_5_clicks"
  std::vector<int> epochs;               // increasing
  std::vector<double> trainLoss;         // one per epoch
  std::vector<double> validationMetric;  // one per epoch
};

// Throws ImageIOError naming the file (and the line) when it is missing, lacks the epoch, train_loss
// or val_* column, holds a value that is not a number, or has no epoch yet.
TrainingCurves readTrainingMetrics(const std::string& csvPath);

void writeTrainingCurvesPlot(const TrainingCurves& curves, const std::string& pngPath);

// readTrainingMetrics, then writeTrainingCurvesPlot.
void writeTrainingCurvesPlot(const std::string& csvPath, const std::string& pngPath);

} // namespace medclick
