#pragma once
// What a file holds, told from its first bytes rather than its name: each format then goes through
// its own structure check and a decoder chosen for it, never through whichever ITK reader happens to
// claim the file.

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
// The format a file's extension names (.png, .nii.gz, .mhd, .dcm, ...); Unknown for any other name.
// A file whose name and contents disagree is refused: a renamed file is more likely a mistake than
// a format MedClick should guess.
FileFormat formatNamedBy(const std::string& path);
std::string formatName(FileFormat format);

} // namespace medclick::detail
