#pragma once
// Runs the 3D click protocol (CAISeg §IV-B2 and §IV-D) on one volume: optionally a first round with
// no clicks (CAISeg's automatic round: "we do not provide any interaction information to CAISeg in
// the initial segmentation"), then up to maxClicks rounds, each with one more click from the
// VolumeEvaluationClicker and the previous round's probability. The score per click is the Dice of
// the whole volume (mNoC@x counts clicks to x % Dice, as the paper's Tables I–II); the final mask's
// Dice, Jaccard, precision, recall, HD95 and ASSD in mm come with it.

#include "eval/noc_metrics.h"
#include "eval/overlap_metrics.h"
#include "engine/segmentation_engine.h"
#include "image/image.h"
#include "image/label_mask.h"

#include <string>
#include <vector>

namespace medclick {

struct VolumeCaseResult {
  CaseResult clicks;     // iouPerClick holds the Dice after each click; initialIou the automatic round's Dice
  OverlapMetrics final;  // of the mask after the last click
};

// automaticFirstRound: the engine segments once without clicks first and the clicks correct that
// mask (its Dice is clicks.initialIou, and a case it already solves needs 0 clicks).
VolumeCaseResult evaluateVolumeCase(SegmentationEngine& engine, const Image& volume, const LabelMask& reference,
                                    const std::string& name, int maxClicks = 20, bool automaticFirstRound = false);

// The means after the last click over the cases: Dice, Jaccard, precision and recall over all of them,
// HD95 and ASSD over the distanceCases where both masks are non-empty (NaN when there is none).
struct VolumeFinalSummary {
  double dice = 0, jaccard = 0, precision = 0, recall = 0;
  double hd95Millimetres = 0, assdMillimetres = 0;
  int distanceCases = 0;
};
VolumeFinalSummary summarizeFinal(const std::vector<VolumeCaseResult>& results);

// summary.json of a 3D run: "metric":"dice", model, cases, max_clicks, noc80/85/90 and never_reach_90
// on Dice, ms_per_click, "mdice_per_click", "mdice_at_0" after an automatic first round, and "final":
// the means of dice, jaccard, precision, recall, hd95_mm and assd_mm after the last click (the
// distances over the cases where they are finite; null when none is).
std::string volumeSummaryJson(const EvaluationSummary& summary, const std::vector<VolumeCaseResult>& results, const std::string& model);

// The Dice of two 0/1 masks of one size (1 when both are empty).
double diceCoefficient(const std::vector<unsigned char>& prediction, const std::vector<unsigned char>& reference);

} // namespace medclick
