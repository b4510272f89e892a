#include "eval/noc_metrics.h"

#include <sstream>
#include <stdexcept>

namespace medclick {

double intersectionOverUnion(const std::vector<unsigned char>& prediction, const std::vector<unsigned char>& groundTruth) {
  if (prediction.size() != groundTruth.size()) throw std::invalid_argument("IoU of masks of different sizes");
  size_t intersection = 0, unionCount = 0;
  for (size_t i = 0; i < prediction.size(); ++i) {
    const bool p = prediction[i] != 0, g = groundTruth[i] != 0;
    intersection += p && g;
    unionCount += p || g;
  }
  return unionCount == 0 ? 1.0 : static_cast<double>(intersection) / static_cast<double>(unionCount);
}

int numberOfClicks(const std::vector<double>& iouPerClick, double target) {
  for (size_t k = 0; k < iouPerClick.size(); ++k)
    if (iouPerClick[k] >= target) return static_cast<int>(k + 1);
  return static_cast<int>(iouPerClick.size());
}

int numberOfClicks(const CaseResult& result, double target) {
  if (result.initialIou && *result.initialIou >= target) return 0;
  return numberOfClicks(result.iouPerClick, target);
}

EvaluationSummary summarize(const std::vector<CaseResult>& results, int maxClicks) {
  EvaluationSummary s;
  s.cases = static_cast<int>(results.size());
  s.maxClicks = maxClicks;
  s.meanIouPerClick.assign(static_cast<size_t>(maxClicks), 0.0);
  double seconds = 0, initialIou = 0;
  bool allInitial = !results.empty();
  for (const auto& r : results) {
    if (static_cast<int>(r.iouPerClick.size()) != maxClicks) throw std::invalid_argument("case " + r.name + ": wrong click count");
    s.noc80 += numberOfClicks(r, 0.80);
    s.noc85 += numberOfClicks(r, 0.85);
    s.noc90 += numberOfClicks(r, 0.90);
    allInitial = allInitial && r.initialIou.has_value();
    initialIou += r.initialIou.value_or(0.0);
    // "Never reaches 90 %" within the click budget, even if the last click reaches it exactly then.
    bool reached = r.initialIou && *r.initialIou >= 0.90;
    for (const double iou : r.iouPerClick) reached = reached || iou >= 0.90;
    s.neverReach90 += reached ? 0 : 1;
    for (int k = 0; k < maxClicks; ++k) s.meanIouPerClick[static_cast<size_t>(k)] += r.iouPerClick[static_cast<size_t>(k)];
    seconds += r.seconds;
  }
  if (s.cases > 0) {
    s.noc80 /= s.cases;
    s.noc85 /= s.cases;
    s.noc90 /= s.cases;
    for (auto& m : s.meanIouPerClick) m /= s.cases;
    s.msPerClick = 1000.0 * seconds / (static_cast<double>(s.cases) * maxClicks);
    if (allInitial) s.meanInitialIou = initialIou / s.cases;
  }
  return s;
}

std::string summaryJson(const EvaluationSummary& s, const std::string& model, const std::string& init, int perObjectImages) {
  std::ostringstream out;
  out.precision(6);
  out << "{\"model\":\"" << model << "\",";
  out << "\"protocol\":\"" << (perObjectImages > 0 ? "per-object" : "whole-mask") << "\",";
  if (perObjectImages > 0) out << "\"images\":" << perObjectImages << ",";
  if (!init.empty()) out << "\"init\":\"" << init << "\",\"miou_at_0\":" << s.meanInitialIou.value_or(0.0) << ",";
  out << "\"cases\":" << s.cases << ",\"max_clicks\":" << s.maxClicks << ",\"noc80\":" << s.noc80
      << ",\"noc85\":" << s.noc85 << ",\"noc90\":" << s.noc90 << ",\"never_reach_90\":" << s.neverReach90
      << ",\"ms_per_click\":" << s.msPerClick << ",\"miou_per_click\":[";
  for (size_t k = 0; k < s.meanIouPerClick.size(); ++k) out << (k ? "," : "") << s.meanIouPerClick[k];
  out << "]}";
  return out.str();
}

} // namespace medclick
