#pragma once
// The numbers of the evaluation protocol: IoU after each click, NoC@80/85/90 (the first click count
// reaching that IoU, the maximum when never reached), images never reaching 90 %, mean IoU after k
// clicks, and seconds per click. When the clicks start from an automatic mask (IoU@0), a case whose
// automatic mask already reaches the target needs 0 clicks.

#include <optional>
#include <string>
#include <vector>

namespace medclick {

constexpr double kEvaluationThreshold = 0.49; // probability above which a pixel is predicted object

struct CaseResult {
  std::string name;
  std::vector<double> iouPerClick; // IoU after click 1, 2, ... (always maxClicks long)
  double seconds = 0;              // engine time over all clicks
  std::optional<double> initialIou; // IoU@0: the automatic mask the clicks start from, if any
};

double intersectionOverUnion(const std::vector<unsigned char>& prediction, const std::vector<unsigned char>& groundTruth);
int numberOfClicks(const std::vector<double>& iouPerClick, double target); // 1-based; size() if never
int numberOfClicks(const CaseResult& result, double target);                // 0 when IoU@0 reaches it

struct EvaluationSummary {
  int cases = 0;
  int maxClicks = 20;
  double noc80 = 0, noc85 = 0, noc90 = 0;
  int neverReach90 = 0;
  std::vector<double> meanIouPerClick;
  double msPerClick = 0;
  std::optional<double> meanInitialIou; // mIoU@0, when every case started from an automatic mask
};

EvaluationSummary summarize(const std::vector<CaseResult>& results, int maxClicks);
// init: the automatic model the clicks started from ("kmunet"), written as "init" with "miou_at_0";
// empty: neither key (the plain protocol).
// perObjectImages > 0: the per-object protocol ("protocol":"per-object", "cases" counts objects and
// "images" the images they lie in); otherwise "protocol":"whole-mask".
std::string summaryJson(const EvaluationSummary& summary, const std::string& model, const std::string& init = {}, int perObjectImages = 0);

} // namespace medclick
