#pragma once
// Images and broken files that the core and CLI tests write to disk and read back.

#include "image/image.h"

#include <string>

namespace medclick::testing {

// 3D geometry with anisotropic spacing, a non-zero origin and an oblique (rotated) direction.
ImageGeometry obliqueGeometry3d(std::size_t nx = 7, std::size_t ny = 6, std::size_t nz = 5);
ImageGeometry obliqueGeometry2d(std::size_t nx = 9, std::size_t ny = 7);

// Values that fit the type and differ from voxel to voxel (so a transposed read is caught).
Image rampImage(const ImageGeometry& geometry, PixelType type);

// Broken files for the bad-input tests; each returns the path it wrote inside folder.
// A file's bytes, and a file written from bytes (for tests that cut or change real files).
std::string readAll(const std::string& path);
void writeAll(const std::string& path, const std::string& bytes);

std::string writeEmptyFile(const std::string& folder);
std::string writeTruncatedNiftiGz(const std::string& folder);
std::string writeWrongMagicNifti(const std::string& folder);
std::string writeNiftiWithDimension(const std::string& folder, const std::string& name, int axis, short extent);
std::string write4dNifti(const std::string& folder);
std::string writeVectorNifti(const std::string& folder);
std::string writeNiftiWithNonFinite(const std::string& folder, int nanCount, int infCount);

} // namespace medclick::testing
