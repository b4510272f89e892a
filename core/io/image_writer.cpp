#include "io/image_writer.h"

#include "io/image_io_error.h"
#include "io/itk_conversion.h"

#include <itkImageFileWriter.h>
#include <itkImageIOFactory.h>
#include <itkMetaDataObject.h>
#include <itkRGBPixel.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <random>

namespace medclick {

namespace fs = std::filesystem;

namespace {

std::string lowerName(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  return name;
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string extensionOf(const std::string& path) {
  const std::string name = lowerName(path);
  if (endsWith(name, ".nii.gz")) return ".nii.gz";
  const auto dot = name.rfind('.');
  return dot == std::string::npos ? std::string() : name.substr(dot);
}

bool isRasterFormat(const std::string& ext) {
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp";
}

// Refuses combinations a format cannot hold, before ITK gets a chance to write something odd.
void checkFormatCanHold(const std::string& path, unsigned dimension, unsigned components, PixelType type) {
  static const char* supported = ".nii, .nii.gz, .nrrd, .nhdr, .mha, .mhd, .png, .jpg, .bmp, .tif";
  const std::string ext = extensionOf(path);
  const bool known = ext == ".nii" || ext == ".nii.gz" || ext == ".nrrd" || ext == ".nhdr" || ext == ".mha" ||
                     ext == ".mhd" || ext == ".tif" || ext == ".tiff" || isRasterFormat(ext);
  if (!known) throw ImageIOError(path, "unknown output format '" + ext + "' (supported: " + supported + ")");
  if (components == 3 && dimension != 2) throw ImageIOError(path, "colour images must be 2D");
  if (!isRasterFormat(ext)) return;
  if (dimension != 2)
    throw ImageIOError(path, ext + " holds 2D images only; write a 3D image as .nii.gz, .nrrd or .mha");
  const bool bits16 = type == PixelType::UInt16;
  if (type != PixelType::UInt8 && !(ext == ".png" && bits16))
    throw ImageIOError(path, ext + " cannot hold " + pixelTypeName(type) +
                                 " pixels (PNG: uint8/uint16, JPEG/BMP: uint8); write .nii.gz, .nrrd, .mha or .tif");
}

// A sibling name with the same extension, so ITK picks the same writer for it.
fs::path temporarySibling(const std::string& path) {
  static std::mt19937_64 random{std::random_device{}()};
  const fs::path target(path);
  const std::string ext = extensionOf(path);
  const std::string stem = target.filename().string().substr(0, target.filename().string().size() - ext.size());
  return target.parent_path() / ("." + stem + ".partial-" + std::to_string(random() % 1000000000ull) + ext);
}

template <typename T> T clampRound(float v) {
  if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(v);
  } else {
    const double lo = static_cast<double>(std::numeric_limits<T>::lowest());
    const double hi = static_cast<double>(std::numeric_limits<T>::max());
    return static_cast<T>(std::clamp(std::round(static_cast<double>(v)), lo, hi));
  }
}

template <typename ItkImage, unsigned D> void applyGeometry(ItkImage* image, const ImageGeometry& g) {
  typename ItkImage::SizeType size;
  typename ItkImage::SpacingType spacing;
  typename ItkImage::PointType origin;
  typename ItkImage::DirectionType direction;
  for (unsigned a = 0; a < D; ++a) {
    size[a] = g.size[a];
    spacing[a] = g.spacing[a];
    origin[a] = g.origin[a];
    for (unsigned c = 0; c < D; ++c) direction(a, c) = g.direction[a * 3 + c];
  }
  image->SetRegions(typename ItkImage::RegionType(size));
  image->SetSpacing(spacing);
  image->SetOrigin(origin);
  image->SetDirection(direction);
  image->Allocate();
}

template <typename ItkImage> void writeItk(const ItkImage* image, const std::string& path) {
  const fs::path target(path);
  if (!target.parent_path().empty() && !fs::is_directory(target.parent_path()))
    throw ImageIOError(path, "the folder " + target.parent_path().string() + " does not exist");
  const fs::path temporary = temporarySibling(path);
  auto writer = itk::ImageFileWriter<ItkImage>::New();
  writer->SetFileName(temporary.string());
  writer->SetInput(image);
  writer->SetUseCompression(true);
  try {
    writer->Update();
  } catch (const itk::ExceptionObject& e) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw ImageIOError(path, "cannot write: " + detail::shortReason(e.GetDescription()));
  }
  // A MetaImage header names its data file: renaming .mhd alone would orphan the .raw/.zraw.
  if (extensionOf(path) == ".mhd") {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    writer->SetFileName(path);
    try {
      writer->Update();
    } catch (const itk::ExceptionObject& e) {
      throw ImageIOError(path, "cannot write: " + detail::shortReason(e.GetDescription()));
    }
    return;
  }
  std::error_code ec;
  fs::rename(temporary, target, ec);
  if (ec) {
    fs::remove(temporary, ec);
    throw ImageIOError(path, "cannot move the written file into place: " + ec.message());
  }
}

template <typename T, unsigned D>
void writeScalar(const ImageGeometry& g, const float* voxels, const std::string& path, const HeaderFields& fields) {
  using ItkImage = itk::Image<T, D>;
  auto image = ItkImage::New();
  applyGeometry<ItkImage, D>(image, g);
  // The writer hands the image's dictionary to the format; NRRD writes its strings as key:=value.
  for (const auto& [key, value] : fields) itk::EncapsulateMetaData<std::string>(image->GetMetaDataDictionary(), key, value);
  T* out = image->GetBufferPointer();
  for (std::size_t p = 0; p < g.voxelCount(); ++p) out[p] = clampRound<T>(voxels[p]);
  writeItk(image.GetPointer(), path);
}

template <typename T>
void writeScalarAnyDimension(const ImageGeometry& g, const float* voxels, const std::string& path, const HeaderFields& fields = {}) {
  if (g.dimension == 2)
    writeScalar<T, 2>(g, voxels, path, fields);
  else
    writeScalar<T, 3>(g, voxels, path, fields);
}

template <typename T> void writeRgb(const Image& image, const std::string& path) {
  using ItkImage = itk::Image<itk::RGBPixel<T>, 2>;
  auto out = ItkImage::New();
  applyGeometry<ItkImage, 2>(out, image.geometry());
  auto* buffer = out->GetBufferPointer();
  const auto& in = image.voxels();
  for (std::size_t p = 0; p < image.geometry().voxelCount(); ++p)
    for (unsigned c = 0; c < 3; ++c) buffer[p][c] = clampRound<T>(in[p * 3 + c]);
  writeItk(out.GetPointer(), path);
}

void writeVoxels(const ImageGeometry& g, unsigned components, const Image* rgb, const float* voxels, PixelType type,
                 const std::string& path, const HeaderFields& fields = {}) {
  checkFormatCanHold(path, g.dimension, components, type);
  if (components == 3) {
    if (type == PixelType::UInt16)
      writeRgb<std::uint16_t>(*rgb, path);
    else if (type == PixelType::UInt8)
      writeRgb<std::uint8_t>(*rgb, path);
    else
      writeRgb<float>(*rgb, path);
    return;
  }
  switch (type) {
  case PixelType::UInt8: return writeScalarAnyDimension<std::uint8_t>(g, voxels, path, fields);
  case PixelType::Int8: return writeScalarAnyDimension<std::int8_t>(g, voxels, path);
  case PixelType::UInt16: return writeScalarAnyDimension<std::uint16_t>(g, voxels, path, fields);
  case PixelType::Int16: return writeScalarAnyDimension<std::int16_t>(g, voxels, path);
  case PixelType::UInt32: return writeScalarAnyDimension<std::uint32_t>(g, voxels, path);
  case PixelType::Int32: return writeScalarAnyDimension<std::int32_t>(g, voxels, path);
  case PixelType::Float32: return writeScalarAnyDimension<float>(g, voxels, path);
  case PixelType::Float64: return writeScalarAnyDimension<double>(g, voxels, path);
  }
}

// uint8 while every label fits (what most tools expect of a mask), uint16 beyond 255, as ITK-SNAP writes.
PixelType labelFileType(const LabelMask& mask) { return mask.maximumLabel() > 255 ? PixelType::UInt16 : PixelType::UInt8; }

std::vector<float> maskValuesForFile(const LabelMask& mask, bool viewable) {
  const bool binary = mask.maximumLabel() <= 1;
  const float scale = viewable && binary ? 255.0f : 1.0f;
  std::vector<float> values(mask.labels().size());
  std::transform(mask.labels().begin(), mask.labels().end(), values.begin(),
                 [scale](Label v) { return static_cast<float>(v) * scale; });
  return values;
}

} // namespace

void writeImage(const Image& image, const std::string& path, std::optional<PixelType> as) {
  writeVoxels(image.geometry(), image.components(), &image, image.voxels().data(), as.value_or(image.storedType()), path);
}

void writeMask(const LabelMask& mask, const std::string& path, const HeaderFields& fields) {
  const bool viewable = isRasterFormat(extensionOf(path));
  const auto values = maskValuesForFile(mask, viewable);
  writeVoxels(mask.geometry(), 1, nullptr, values.data(), labelFileType(mask), path, fields);
}

void writeMaskSlices(const LabelMask& mask, const std::string& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw ImageIOError(folder, "cannot create the folder: " + ec.message());
  const auto values = maskValuesForFile(mask, true);
  ImageGeometry slice = mask.geometry();
  slice.dimension = 2;
  slice.size[2] = 1;
  const std::size_t sliceVoxels = slice.voxelCount();
  for (std::size_t k = 0; k < mask.geometry().size[2]; ++k) {
    // Each slice keeps the in-plane spacing; its origin is the slice's own corner in space.
    slice.origin = mask.geometry().indexToPhysical({0.0, 0.0, static_cast<double>(k)});
    char name[32];
    std::snprintf(name, sizeof name, "slice_%04zu.png", k);
    writeVoxels(slice, 1, nullptr, values.data() + k * sliceVoxels, labelFileType(mask), (fs::path(folder) / name).string());
  }
}

void writeProbabilityMap(const Image& probability, const std::string& path) {
  writeImage(probability, path, PixelType::Float32);
}

} // namespace medclick
