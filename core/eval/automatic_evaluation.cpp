#include "eval/automatic_evaluation.h"

#include "eval/noc_metrics.h"
#include "segmentation/largest_component.h"
#include "segmentation/slice_by_slice.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace medclick {

AutomaticCaseResult evaluateAutomaticCase(SegmentationEngine& segmenter, const Image& image, const LabelMask& groundTruth,
                                          const std::string& name, bool largestComponent) {
  if (image.geometry().dimension != 2) throw std::invalid_argument(name + ": give a volume as its modalities (slice by slice)");
  return evaluateAutomaticCase(segmenter, std::vector<Image>{image}, groundTruth, name, largestComponent);
}

AutomaticCaseResult evaluateAutomaticCase(SegmentationEngine& segmenter, const std::vector<Image>& modalities, const LabelMask& groundTruth,
                                          const std::string& name, bool largestComponent) {
  if (modalities.empty()) throw std::invalid_argument(name + ": no image");
  const Image& image = modalities.front();
  const ImageGeometry& g = image.geometry();
  requireSameGrid(g, groundTruth.geometry(), name);
  AutomaticCaseResult result;
  result.name = name;
  const auto start = std::chrono::steady_clock::now();
  // One 2D image goes whole (an RGB picture keeps its channels); anything else slice by slice.
  std::vector<float> probability =
      modalities.size() == 1 && g.dimension == 2
          ? (segmenter.setImage(planeImage(image.voxels().data(), g.size[0], g.size[1], static_cast<int>(image.components()))),
             refinedMap(segmenter, {}, 0, nullptr, g.voxelCount()))
          : segmentSliceBySlice(segmenter, modalities);
  if (largestComponent && probability.size() == g.voxelCount()) keepLargestComponent(probability, g, kEvaluationThreshold);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (probability.size() != g.voxelCount())
    throw std::runtime_error(name + ": " + segmenter.name() + " returned " + std::to_string(probability.size()) + " values for " +
                             std::to_string(g.voxelCount()) + " voxels");
  LabelMask prediction(g);
  for (std::size_t i = 0; i < probability.size(); ++i) prediction.labels()[i] = probability[i] > kEvaluationThreshold ? 1 : 0;
  result.metrics = overlapMetrics(prediction, groundTruth);
  return result;
}

AutomaticSummary summarizeAutomatic(const std::vector<AutomaticCaseResult>& results) {
  AutomaticSummary s;
  s.cases = static_cast<int>(results.size());
  double hd95 = 0, seconds = 0;
  for (const auto& r : results) {
    s.dice += r.metrics.dice;
    s.iou += r.metrics.iou;
    seconds += r.seconds;
    if (std::isfinite(r.metrics.hd95Millimetres)) {
      hd95 += r.metrics.hd95Millimetres;
      ++s.finiteHd95Cases;
    } else {
      ++s.infiniteHd95Cases;
    }
  }
  if (s.cases > 0) {
    s.dice /= s.cases;
    s.iou /= s.cases;
    s.secondsPerCase = seconds / s.cases;
  }
  s.hd95Millimetres = s.finiteHd95Cases > 0 ? hd95 / s.finiteHd95Cases : std::numeric_limits<double>::quiet_NaN();
  return s;
}

std::string automaticSummaryJson(const AutomaticSummary& s, const std::string& model) {
  std::ostringstream out;
  out.precision(6);
  out << "{\"model\":\"" << model << "\",\"cases\":" << s.cases << ",\"dice\":" << s.dice << ",\"iou\":" << s.iou << ",\"hd95_mm\":";
  if (std::isfinite(s.hd95Millimetres))
    out << s.hd95Millimetres;
  else
    out << "null"; // JSON has no NaN or infinity
  out << ",\"hd95_finite_cases\":" << s.finiteHd95Cases << ",\"hd95_infinite_cases\":" << s.infiniteHd95Cases
      << ",\"seconds_per_case\":" << s.secondsPerCase << "}";
  return out.str();
}

} // namespace medclick
