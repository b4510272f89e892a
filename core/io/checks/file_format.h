#pragma once
// What a file holds, told from its first bytes rather than its name: each format then goes through
// its own structure check and a decoder chosen for it, never through whichever ITK reader happens to
// claim the file. A name that lies (PNG bytes called .nii) is read as what it holds.

#include <string>

namespace medclick::detail {

enum class FileFormat {
  Png, Jpeg, Bmp, Tiff,  // 2D pictures
  Nifti,                 // single-file NIfTI-1/2, plain or gzip (.nii, .nii.gz)
  NiftiPair,             // NIfTI header with its voxels in a sibling .img (.hdr)
  Nrrd,                  // attached or detached (.nrrd, .nhdr)
  MetaImage,             // attached or detached (.mha, .mhd)
  Dicom,                 // one DICOM file (a series is read as a folder)
  Unknown
};

FileFormat detectFileFormat(const std::string& path);
std::string formatName(FileFormat format);

} // namespace medclick::detail
