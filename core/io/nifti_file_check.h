#pragma once
// Checks of single-file NIfTI (.nii, .nii.gz) that ITK's reader does not make. Through niftilib,
// ITK silently repairs a zero or negative extent to 1, reads a truncated .nii.gz without an error,
// and replaces NaN/Inf voxels by 0 ("fishy floats"). MedClick refuses the first two and needs the
// positions of the third, to report them and treat them as the minimum.

#include <cstddef>
#include <string>
#include <vector>

namespace medclick::detail {

struct NiftiLayout {
  bool byteSwapped = false;
  int dimensionCount = 0;
  std::vector<long long> extents;   // dim[1..dim[0]]
  int datatype = 0;                  // NIfTI code: 16 float32, 64 float64, ...
  int bytesPerVoxel = 0;
  long long voxelOffset = 0;         // where the voxels start in the (uncompressed) stream
};

// Reads and validates the header (NIfTI-1 or NIfTI-2, either byte order, gzip or not).
NiftiLayout readNiftiLayout(const std::string& path, bool headerOfPair = false);

// A .hdr/.img pair: the header as above, and a sibling .img holding every voxel it declares.
void checkNiftiPair(const std::string& headerPath);

// Streams all voxel data once: throws ImageIOError if the stream ends early or is corrupt; returns
// the indices of NaN/Inf voxels (float data only, otherwise empty).
std::vector<std::size_t> scanNiftiVoxels(const std::string& path, const NiftiLayout& layout);

} // namespace medclick::detail
