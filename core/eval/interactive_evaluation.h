#pragma once
// Runs the evaluation protocol on one 2D case: the clicker places up to maxClicks clicks, each
// followed by one refinement round of the engine that gets the previous round's probability.
// With an initial probability (an automatic segmenter's, width*height values in [0, 1]) the clicker
// first corrects that mask, round one refines it, and the result records its IoU as IoU@0.

#include "eval/noc_metrics.h"
#include "engine/segmentation_engine.h"
#include "image/image.h"
#include "image/label_mask.h"

namespace medclick {

CaseResult evaluateCase(SegmentationEngine& engine, const Image& image, const LabelMask& groundTruth, const std::string& name,
                        int maxClicks = 20, const std::vector<float>* initialProbability = nullptr);

// The per-object protocol (instance-level NoC, issue 24): every face-connected object of the ground
// truth of at least `minimumPixels` pixels is its own target, segmented from an empty mask with its
// own clicks (a user segments DME fluid pocket by pocket); the prediction spilling onto another
// object counts against it, as any false positive. One result per object, named "NAME#k" (k from 1,
// in ITK's labelling order); objects below the size are left out (none: no result).
std::vector<CaseResult> evaluateCaseObjects(SegmentationEngine& engine, const Image& image, const LabelMask& groundTruth,
                                            const std::string& name, int maxClicks = 20, std::size_t minimumPixels = 1);

} // namespace medclick
