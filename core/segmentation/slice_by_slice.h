#pragma once
// Running a 2D automatic engine (KM-UNet, KANU-Net) over a volume: one prediction per slice of the
// volume's slice axis (ITK index k, the acquisition plane: axial for BraTS and most brain MRI), the
// modalities of a multi-modal case as the channels of each slice. The probabilities are assembled into
// a volume on the image's own grid, so the mask keeps its spacing, origin and direction.

#include "engine/segmentation_engine.h"
#include "image/image.h"

#include <vector>

namespace medclick {

// modalities: one or more grey images on one grid (readModalities); 2D images are one slice.
// Returns one probability per voxel, ITK's order (x fastest, then y, then z). A slice where every
// modality is constant (outside the field of view) is not predicted: probability 0 there.
std::vector<float> segmentSliceBySlice(SegmentationEngine& segmenter, const std::vector<Image>& modalities);

} // namespace medclick
