#pragma once
// The clinician's accepted cases, the local dataset fine-tuning learns from: FOLDER/images/NAME and
// FOLDER/masks/NAME with the same name, the "images+masks" layout scanLabeledDataset reads back.

#include "image/image.h"
#include "image/label_mask.h"

#include <ctime>
#include <string>

namespace medclick {

// Writes the image and its mask as one case named STEM_YYYYMMDD-HHMMSS (.png for a 2D image, .nii.gz
// for a volume, keeping its geometry) and returns that file name. A name already taken gets _2, _3...
// Throws for an empty mask (nothing was segmented), a mask off the image's grid, or a failed write.
std::string addAnnotatedCase(const std::string& folder, const Image& image, const LabelMask& mask, const std::string& stem,
                             std::time_t acceptedAt = std::time(nullptr));

} // namespace medclick
