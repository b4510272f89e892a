#pragma once
// A mean score against the number of clicks, one curve per run, drawn with OpenCV: IoU for 2D images
// (iou_vs_clicks.png), Dice for the 3D protocol (dice_vs_clicks.png).

#include <string>
#include <vector>

namespace medclick {

struct ClickCurve {
  std::string label;
  std::vector<double> meanPerClick;
};

// axisLabel: what the curves measure ("mean Dice" for the 3D protocol).
void writeClickCurvePlot(const std::vector<ClickCurve>& curves, const std::string& pngPath, const std::string& axisLabel = "mean IoU");

} // namespace medclick
