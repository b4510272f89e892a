#include "support/test_images.h"

#include "io/image_writer.h"

#include <itkImage.h>
#include <itkImageFileWriter.h>
#include <itkVector.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

namespace fs = std::filesystem;

namespace medclick::testing {

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

namespace {

std::array<double, 9> rotation(double ax, double az) {
  // R = Rz(az) * Rx(ax): a proper rotation, as a scanner's oblique acquisition is.
  const double cx = std::cos(ax), sx = std::sin(ax), cz = std::cos(az), sz = std::sin(az);
  return {cz, -sz * cx, sz * sx, sz, cz * cx, -cz * sx, 0, sx, cx};
}


template <typename ItkImage> void writeWithItk(ItkImage* image, const std::string& path) {
  auto writer = itk::ImageFileWriter<ItkImage>::New();
  writer->SetFileName(path);
  writer->SetInput(image);
  writer->Update();
}

} // namespace

ImageGeometry obliqueGeometry3d(std::size_t nx, std::size_t ny, std::size_t nz) {
  ImageGeometry g;
  g.dimension = 3;
  g.size = {nx, ny, nz};
  g.spacing = {0.7, 1.3, 2.9};
  g.origin = {-12.5, 33.25, 7.0};
  g.direction = rotation(0.35, 0.6);
  return g;
}

ImageGeometry obliqueGeometry2d(std::size_t nx, std::size_t ny) {
  ImageGeometry g;
  g.dimension = 2;
  g.size = {nx, ny, 1};
  g.spacing = {0.45, 0.8, 1.0};
  g.origin = {3.5, -8.25, 0.0};
  const double a = 0.4;
  g.direction = {std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a), 0, 0, 0, 1};
  return g;
}

Image rampImage(const ImageGeometry& geometry, PixelType type) {
  Image image(geometry, 1, type);
  const bool isSigned = pixelTypeMinimum(type) < 0;
  const double span = std::min(250.0, pixelTypeMaximum(type));
  auto& v = image.voxels();
  for (std::size_t p = 0; p < v.size(); ++p) {
    double value = std::fmod(static_cast<double>(p) * 7.0, span);
    if (isSigned) value -= span / 2;
    if (!pixelTypeIsInteger(type)) value += 0.25;
    v[p] = static_cast<float>(value);
  }
  return image;
}

std::string writeEmptyFile(const std::string& folder) {
  const std::string path = folder + "/empty.nii.gz";
  writeAll(path, "");
  return path;
}

std::string writeTruncatedNiftiGz(const std::string& folder) {
  // Noise compresses poorly, so half of the compressed stream is half of the voxels.
  Image noise(obliqueGeometry3d(32, 32, 16), 1, PixelType::Float32);
  std::mt19937 random(7);
  std::normal_distribution<float> normal;
  for (float& v : noise.voxels()) v = normal(random);
  const std::string whole = folder + "/whole.nii.gz";
  writeImage(noise, whole);
  const std::string bytes = readAll(whole);
  const std::string path = folder + "/truncated.nii.gz";
  writeAll(path, bytes.substr(0, bytes.size() / 2));
  return path;
}

std::string writeWrongMagicNifti(const std::string& folder) {
  const std::string path = folder + "/wrong_magic.nii";
  std::string bytes(400, '\0');
  const std::string text = "this is a text file renamed to .nii";
  bytes.replace(0, text.size(), text);
  writeAll(path, bytes);
  return path;
}

std::string writeNiftiWithDimension(const std::string& folder, const std::string& name, int axis, short extent) {
  const std::string path = folder + "/" + name + ".nii";
  writeImage(rampImage(obliqueGeometry3d(), PixelType::Int16), path);
  std::string bytes = readAll(path);
  // NIfTI-1: short dim[8] at byte 40; dim[1..3] are the extents along i, j, k.
  const std::size_t offset = 40 + 2 * static_cast<std::size_t>(axis + 1);
  bytes[offset] = static_cast<char>(extent & 0xFF);
  bytes[offset + 1] = static_cast<char>((extent >> 8) & 0xFF);
  writeAll(path, bytes);
  return path;
}

std::string write4dNifti(const std::string& folder) {
  using Image4 = itk::Image<float, 4>;
  auto image = Image4::New();
  Image4::SizeType size{{4, 4, 3, 5}};
  image->SetRegions(Image4::RegionType(size));
  image->Allocate();
  image->FillBuffer(1.0f);
  const std::string path = folder + "/timeseries.nii.gz";
  writeWithItk(image.GetPointer(), path);
  return path;
}

std::string writeVectorNifti(const std::string& folder) {
  using VectorImage = itk::Image<itk::Vector<float, 3>, 3>;
  auto image = VectorImage::New();
  VectorImage::SizeType size{{4, 4, 3}};
  image->SetRegions(VectorImage::RegionType(size));
  image->Allocate();
  itk::Vector<float, 3> v;
  v.Fill(2.0f);
  image->FillBuffer(v);
  const std::string path = folder + "/displacement.nii.gz";
  writeWithItk(image.GetPointer(), path);
  return path;
}

std::string writeNiftiWithNonFinite(const std::string& folder, int nanCount, int infCount) {
  Image image = rampImage(obliqueGeometry3d(), PixelType::Float32);
  auto& v = image.voxels();
  for (int i = 0; i < nanCount; ++i) v[static_cast<std::size_t>(3 + 11 * i)] = std::numeric_limits<float>::quiet_NaN();
  for (int i = 0; i < infCount; ++i)
    v[static_cast<std::size_t>(5 + 13 * i)] = (i % 2 ? -1.0f : 1.0f) * std::numeric_limits<float>::infinity();
  const std::string path = folder + "/nonfinite.nii.gz";
  writeImage(image, path);
  return path;
}

} // namespace medclick::testing
