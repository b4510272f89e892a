#pragma once
// Writes images and masks through ITK with their exact geometry. Files are written to a temporary
// name beside the target and renamed into place, so a crash never leaves half a mask where the
// user's file was.

#include "image/image.h"
#include "image/label_mask.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace medclick {

// Writes in the image's stored pixel type unless another is asked for (integer types round and clamp).
void writeImage(const Image& image, const std::string& path, std::optional<PixelType> as = std::nullopt);

// Masks and label maps: NIfTI/NRRD/MHA keep the labels, as uint8 while they fit and uint16 beyond 255. PNG (2D only) writes a binary mask as 0/255 so it
// can be viewed, and other label masks as their label values.
// `fields`: text a format keeps in its header beside the voxels (NRRD's "key:=value" lines, where
// Slicer's segmentation files name their segments); formats without such a header ignore them.
using HeaderFields = std::vector<std::pair<std::string, std::string>>;
void writeMask(const LabelMask& mask, const std::string& path, const HeaderFields& fields = {});

// A 3D mask as one PNG per axial (k) slice, named slice_0000.png..., into a folder (created if needed).
void writeMaskSlices(const LabelMask& mask, const std::string& folder);

// A probability map (values in [0, 1]) as float NIfTI on the image's grid.
void writeProbabilityMap(const Image& probability, const std::string& path);

} // namespace medclick
