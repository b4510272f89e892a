#pragma once
// The classical click engine: no weights, OpenCV's marker-based watershed. Positive clicks seed the
// object, negative clicks and the image border seed the background, and the object is the basin
// flooded from the positive seeds over the smoothed image's gradient. It is the reference row of
// every NoC table and lets MedClick work before any model is trained.

#include "engine/segmentation_engine.h"

#include <memory>

namespace medclick {

std::unique_ptr<SegmentationEngine> createWatershedEngine();

} // namespace medclick
