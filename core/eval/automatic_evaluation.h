#pragma once
// The protocol for automatic (clickless) segmenters: one prediction per case (2D, or a volume slice by slice), thresholded as the
// click protocol thresholds (kEvaluationThreshold), scored by Dice, IoU and HD95 (overlap_metrics.h).
// The summary averages over cases; HD95 only over the cases where it is finite (both masks
// non-empty), with the others counted.

#include "engine/segmentation_engine.h"
#include "eval/overlap_metrics.h"
#include "image/image.h"
#include "image/label_mask.h"

#include <string>
#include <vector>

namespace medclick {

struct AutomaticCaseResult {
  std::string name;
  OverlapMetrics metrics;
  double seconds = 0; // the segmenter's prediction
};

// largestComponent: keep only the largest connected object of the mask (segmentation/largest_component.h).
AutomaticCaseResult evaluateAutomaticCase(SegmentationEngine& segmenter, const Image& image, const LabelMask& groundTruth,
                                          const std::string& name, bool largestComponent = false);
// A case of one or more modalities on one grid (readModalities): a 2D image is predicted whole, a
// volume or a multi-modal case slice by slice (segmentation/slice_by_slice.h); Dice, IoU and HD95 are
// then those of the volume, in mm.
AutomaticCaseResult evaluateAutomaticCase(SegmentationEngine& segmenter, const std::vector<Image>& modalities, const LabelMask& groundTruth,
                                          const std::string& name, bool largestComponent = false);

struct AutomaticSummary {
  int cases = 0;
  double dice = 0, iou = 0;
  double hd95Millimetres = 0; // mean over finiteHd95Cases; NaN when there is none
  int finiteHd95Cases = 0;
  int infiniteHd95Cases = 0;  // exactly one mask empty (evaluate skips empty references: an empty prediction)
  double secondsPerCase = 0;
};

AutomaticSummary summarizeAutomatic(const std::vector<AutomaticCaseResult>& results);
// Keys model, cases, dice, iou, hd95_mm (null when no case has a finite HD95), hd95_finite_cases,
// hd95_infinite_cases, seconds_per_case.
std::string automaticSummaryJson(const AutomaticSummary& summary, const std::string& model);

} // namespace medclick
