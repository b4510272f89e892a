#include "eval/volume_interactive_evaluation.h"

#include "eval/volume_evaluation_clicker.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace medclick {

double diceCoefficient(const std::vector<unsigned char>& prediction, const std::vector<unsigned char>& reference) {
  if (prediction.size() != reference.size()) throw std::invalid_argument("Dice of masks of different sizes");
  std::size_t both = 0, total = 0;
  for (std::size_t v = 0; v < prediction.size(); ++v) {
    const bool p = prediction[v] != 0, r = reference[v] != 0;
    both += p && r;
    total += static_cast<std::size_t>(p) + static_cast<std::size_t>(r);
  }
  return total == 0 ? 1.0 : 2.0 * static_cast<double>(both) / static_cast<double>(total);
}

VolumeCaseResult evaluateVolumeCase(SegmentationEngine& engine, const Image& volume, const LabelMask& reference,
                                    const std::string& name, int maxClicks, bool automaticFirstRound) {
  const ImageGeometry& g = volume.geometry();
  if (g.dimension != 3) throw std::invalid_argument(name + ": the 3D protocol needs a volume");
  if (volume.components() != 1) throw std::invalid_argument(name + ": the 3D protocol needs a single-channel volume");
  requireSameGrid(g, reference.geometry(), name);
  if (automaticFirstRound && !engine.capabilities().segmentsWithoutClicks)
    throw std::invalid_argument(name + ": " + engine.name() + " has no automatic round");
  VolumeCaseResult result;
  result.clicks.name = name;
  const auto timed = [&](auto&& work) {
    const auto start = std::chrono::steady_clock::now();
    work();
    result.clicks.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  timed([&] { engine.setImage(volumeImage(volume.voxels().data(), g.size, {g.spacing[0], g.spacing[1], g.spacing[2]})); });

  const std::vector<std::uint8_t> truth = objectVoxels(reference);
  std::vector<unsigned char> prediction(truth.size(), 0);
  std::vector<float> probability(truth.size(), 0.0f); // refined in place, round after round
  const auto threshold = [&] {
    for (std::size_t v = 0; v < prediction.size(); ++v) prediction[v] = probability[v] > kEvaluationThreshold ? 1 : 0;
  };
  if (automaticFirstRound) {
    timed([&] { engine.refine({}, 0, probability.data()); });
    threshold();
    result.clicks.initialIou = diceCoefficient(prediction, truth);
  }
  VolumeEvaluationClicker clicker(reference);
  for (int k = 0; k < maxClicks; ++k) {
    if (!clicker.next(prediction)) { // nothing left to correct: the result stays as it is
      result.clicks.iouPerClick.push_back(result.clicks.iouPerClick.empty() ? diceCoefficient(prediction, truth)
                                                                            : result.clicks.iouPerClick.back());
      continue;
    }
    timed([&] { engine.refine(clicker.clicks(), clicker.clicks().size() - 1, probability.data()); });
    threshold();
    result.clicks.iouPerClick.push_back(diceCoefficient(prediction, truth));
  }
  LabelMask finalMask(g);
  finalMask.labels().assign(prediction.begin(), prediction.end());
  result.final = overlapMetrics(finalMask, reference);
  return result;
}

VolumeFinalSummary summarizeFinal(const std::vector<VolumeCaseResult>& results) {
  VolumeFinalSummary f;
  for (const auto& r : results) {
    f.dice += r.final.dice;
    f.jaccard += r.final.iou;
    f.precision += r.final.precision;
    f.recall += r.final.recall;
    if (std::isfinite(r.final.hd95Millimetres)) {
      f.hd95Millimetres += r.final.hd95Millimetres;
      f.assdMillimetres += r.final.assdMillimetres;
      ++f.distanceCases;
    }
  }
  const double n = std::max<double>(1.0, static_cast<double>(results.size()));
  f.dice /= n, f.jaccard /= n, f.precision /= n, f.recall /= n;
  if (f.distanceCases > 0) {
    f.hd95Millimetres /= f.distanceCases;
    f.assdMillimetres /= f.distanceCases;
  } else {
    f.hd95Millimetres = f.assdMillimetres = std::numeric_limits<double>::quiet_NaN();
  }
  return f;
}

std::string volumeSummaryJson(const EvaluationSummary& s, const std::vector<VolumeCaseResult>& results, const std::string& model) {
  const VolumeFinalSummary f = summarizeFinal(results);
  std::ostringstream out;
  out.precision(6);
  out << "{\"metric\":\"dice\",\"model\":\"" << model << "\",";
  if (s.meanInitialIou) out << "\"mdice_at_0\":" << *s.meanInitialIou << ",";
  out << "\"cases\":" << s.cases << ",\"max_clicks\":" << s.maxClicks << ",\"noc80\":" << s.noc80 << ",\"noc85\":" << s.noc85
      << ",\"noc90\":" << s.noc90 << ",\"never_reach_90\":" << s.neverReach90 << ",\"ms_per_click\":" << s.msPerClick
      << ",\"mdice_per_click\":[";
  for (size_t k = 0; k < s.meanIouPerClick.size(); ++k) out << (k ? "," : "") << s.meanIouPerClick[k];
  out << "],\"final\":{\"dice\":" << f.dice << ",\"jaccard\":" << f.jaccard << ",\"precision\":" << f.precision
      << ",\"recall\":" << f.recall << ",\"hd95_mm\":";
  if (f.distanceCases > 0)
    out << f.hd95Millimetres << ",\"assd_mm\":" << f.assdMillimetres;
  else
    out << "null,\"assd_mm\":null";
  out << ",\"distance_cases\":" << f.distanceCases << "}}";
  return out.str();
}

} // namespace medclick
