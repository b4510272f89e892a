#pragma once
// The numbers of the evaluation protocol: IoU after each click, NoC@80/85/90 (the first click count
// reaching that IoU, the maximum when never reached), images never reaching 90 %, mean IoU after k
// clicks, and seconds per click.

#include <string>
#include <vector>

namespace medclick {

constexpr double kEvaluationThreshold = 0.49; // probability above which a pixel is predicted object

struct CaseResult {
  std::string name;
  std::vector<double> iouPerClick; // IoU after click 1, 2, ... (always maxClicks long)
  double seconds = 0;              // engine time over all clicks
};

double intersectionOverUnion(const std::vector<unsigned char>& prediction, const std::vector<unsigned char>& groundTruth);
int numberOfClicks(const std::vector<double>& iouPerClick, double target); // 1-based; size() if never

struct EvaluationSummary {
  int cases = 0;
  int maxClicks = 20;
  double noc80 = 0, noc85 = 0, noc90 = 0;
  int neverReach90 = 0;
  std::vector<double> meanIouPerClick;
  double msPerClick = 0;
};

EvaluationSummary summarize(const std::vector<CaseResult>& results, int maxClicks);
std::string summaryJson(const EvaluationSummary& summary, const std::string& model);

} // namespace medclick
