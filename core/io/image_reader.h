#pragma once
// Reads 2D and 3D images through ITK, keeping spacing, origin and direction exactly as ITK reads them.
// Formats: PNG, JPEG, BMP, TIFF, NIfTI (.nii, .nii.gz), NRRD, MetaImage (.mha/.mhd), and a DICOM
// series given as a folder. Every failure throws ImageIOError naming the file and the reason;
// headers are checked before anything is allocated.

#include "image/image.h"

#include <string>

namespace medclick {

struct ImageReadOptions {
  std::string dicomSeriesUid; // a folder with several DICOM series: which one (default: most slices)
};

Image readImage(const std::string& path, const ImageReadOptions& options = {});

// 2 or 3, from the header alone (a folder is a DICOM series: 3); throws ImageIOError as readImage does.
unsigned readImageDimension(const std::string& path);

// Largest image MedClick agrees to allocate: 2^31 voxel components (8 GiB as float).
constexpr unsigned long long kMaxVoxelComponents = 1ull << 31;

} // namespace medclick
