#pragma once
// Runs the evaluation protocol on one 2D case: the clicker places up to maxClicks clicks, each
// followed by one refinement round of the engine that gets the previous round's probability.

#include "eval/noc_metrics.h"
#include "engine/interactive_engine.h"
#include "image/image.h"
#include "image/label_mask.h"

namespace medclick {

CaseResult evaluateCase(InteractiveEngine& engine, const Image& image, const LabelMask& groundTruth, const std::string& name,
                        int maxClicks = 20);

} // namespace medclick
