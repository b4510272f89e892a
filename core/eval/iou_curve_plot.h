#pragma once
// iou_vs_clicks.png: mean IoU (or the 3D protocol's Dice) against the number of clicks, one curve per
// run, drawn with OpenCV.

#include <string>
#include <vector>

namespace medclick {

struct IouCurve {
  std::string label;
  std::vector<double> meanIouPerClick;
};

// axisLabel: what the curves measure ("mean Dice" for the 3D protocol).
void writeIouCurvePlot(const std::vector<IouCurve>& curves, const std::string& pngPath, const std::string& axisLabel = "mean IoU");

} // namespace medclick
