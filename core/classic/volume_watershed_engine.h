#pragma once
// The classical 3D click engine: no weights, ITK's marker-based morphological watershed on the
// gradient magnitude of the smoothed volume (the 3D sibling of watershed_engine.h). Positive clicks
// seed the lesion, negative clicks and the volume's faces seed the background; the lesion is the
// basin flooded from the positive seeds. It is the reference row of the 3D NoC table (evaluate
// --model classic on volumes) and works before any CAISeg weights exist.

#include "engine/segmentation_engine.h"

#include <memory>

namespace medclick {

std::unique_ptr<SegmentationEngine> createVolumeWatershedEngine();

} // namespace medclick
