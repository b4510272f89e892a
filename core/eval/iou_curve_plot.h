#pragma once
// iou_vs_clicks.png: mean IoU against the number of clicks, one curve per run, drawn with OpenCV.

#include <string>
#include <vector>

namespace medclick {

struct IouCurve {
  std::string label;
  std::vector<double> meanIouPerClick;
};

void writeIouCurvePlot(const std::vector<IouCurve>& curves, const std::string& pngPath);

} // namespace medclick
