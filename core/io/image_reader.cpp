#include "io/image_reader.h"

#include "io/checks/dicom_structure.h"
#include "io/checks/file_format.h"
#include "io/checks/metaimage_header.h"
#include "io/checks/nrrd_header.h"
#include "io/checks/tiff_structure.h"
#include "io/dicom_series_reader.h"
#include "io/image_io_error.h"
#include "io/itk_conversion.h"
#include "io/nifti_file_check.h"
#include "io/picture_reader.h"

#include <itkGDCMImageIO.h>
#include <itkImageFileReader.h>
#include <itkMetaImageIO.h>
#include <itkNiftiImageIO.h>
#include <itkNrrdImageIO.h>
#include <itkRGBPixel.h>
#include <itkTIFFImageIO.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>

namespace medclick {

namespace fs = std::filesystem;

namespace {

std::string lowerExtension(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  if (name.size() > 7 && name.compare(name.size() - 7, 7, ".nii.gz") == 0) return ".nii.gz";
  const auto dot = name.rfind('.');
  return dot == std::string::npos ? std::string() : name.substr(dot);
}

// Formats whose header lives apart from the voxel data: the header file's size says nothing.
bool headerOnlyFile(const std::string& extension) {
  return extension == ".mhd" || extension == ".nhdr" || extension == ".hdr";
}

// Deflate (gzip, PNG, zlib in NRRD/MHA) cannot expand data by more than about 1032:1.
constexpr double kMaxCompressionRatio = 1100.0;

struct DeclaredLayout {
  unsigned dimension = 0;
  unsigned components = 1;
  std::array<std::size_t, 3> size{1, 1, 1};
  unsigned long long bytes = 0;
};

// A direction matrix with two parallel (or zero) axes maps voxels onto a line: no physical point
// could be mapped back. ITK normalises the columns, so a unit determinant means orthonormal.
void requireInvertibleDirection(const std::string& path, itk::ImageIOBase* io, unsigned dimension) {
  double m[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  for (unsigned c = 0; c < dimension; ++c) {
    const auto column = io->GetDirection(c);
    for (unsigned r = 0; r < dimension && r < column.size(); ++r) m[r][c] = column[r];
  }
  const double determinant = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                             m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  if (std::abs(determinant) < 1e-6)
    throw ImageIOError(path, "header declares a direction matrix whose axes are parallel or zero (determinant " + std::to_string(determinant) + ")");
}

// Validates what the header declares before a single voxel is allocated.
DeclaredLayout checkDeclaredLayout(const std::string& path, itk::ImageIOBase* io, std::uintmax_t fileBytes,
                                   const std::string& extension) {
  DeclaredLayout layout;
  const unsigned dims = io->GetNumberOfDimensions();
  if (dims < 2) throw ImageIOError(path, "header declares a " + std::to_string(dims) + "-dimensional image; MedClick reads 2D and 3D images");
  unsigned long long voxels = 1;
  for (unsigned a = 0; a < dims; ++a) {
    const auto extent = io->GetDimensions(a);
    // ITK stores extents unsigned: a negative extent in the header arrives as a huge number.
    if (extent == 0 || extent > (1ull << 31))
      throw ImageIOError(path, "header declares an invalid size along axis " + std::to_string(a) + " (" +
                                   std::to_string(static_cast<long long>(extent)) + ")");
    if (a >= 3 && extent != 1) {
      std::ostringstream sizes;
      for (unsigned b = 0; b < dims; ++b) sizes << (b ? "x" : "") << io->GetDimensions(b);
      throw ImageIOError(path, "is a " + std::to_string(dims) + "D image (size " + sizes.str() +
                                   "); MedClick reads 2D and 3D images, not time series");
    }
    if (a < 3) layout.size[a] = extent;
    voxels *= extent;
    if (voxels > kMaxVoxelComponents)
      throw ImageIOError(path, "header declares more than 2^31 voxels, beyond MedClick's limit");
  }
  layout.dimension = std::min(dims, 3u);
  for (unsigned a = 0; a < layout.dimension; ++a) {
    const double spacing = io->GetSpacing(a);
    if (!std::isfinite(spacing) || spacing == 0.0)
      throw ImageIOError(path, "header declares a spacing of " + std::to_string(spacing) + " along axis " + std::to_string(a));
    if (!std::isfinite(io->GetOrigin(a))) throw ImageIOError(path, "header declares a non-finite origin");
    for (const double d : io->GetDirection(a))
      if (!std::isfinite(d)) throw ImageIOError(path, "header declares a non-finite direction");
  }
  requireInvertibleDirection(path, io, layout.dimension);

  layout.components = io->GetNumberOfComponents();
  const auto pixel = io->GetPixelType();
  const bool colour = pixel == itk::IOPixelEnum::RGB || pixel == itk::IOPixelEnum::RGBA;
  if (colour && layout.dimension == 2) {
    layout.components = 3;
  } else if (layout.components != 1) {
    throw ImageIOError(path, "has " + std::to_string(io->GetNumberOfComponents()) + " components per voxel (" +
                                 itk::ImageIOBase::GetPixelTypeAsString(pixel) +
                                 "); MedClick needs a scalar image (or a 2D RGB picture)");
  }

  layout.bytes = voxels * io->GetNumberOfComponents() * io->GetComponentSize();
  if (layout.bytes > kMaxVoxelComponents * 4)
    throw ImageIOError(path, "header declares " + std::to_string(layout.bytes) + " bytes of voxels, beyond MedClick's limit");
  if (!headerOnlyFile(extension) && fileBytes > 0) {
    const bool uncompressedNifti = extension == ".nii";
    const double bound = uncompressedNifti ? static_cast<double>(fileBytes) : fileBytes * kMaxCompressionRatio;
    if (static_cast<double>(layout.bytes) > bound)
      throw ImageIOError(path, "header declares " + std::to_string(layout.bytes) + " bytes of voxels but the file holds only " +
                                   std::to_string(fileBytes) + " bytes (truncated or corrupt)");
  }
  return layout;
}

template <typename VolumeType>
typename VolumeType::Pointer readVolume(const std::string& path, itk::ImageIOBase* io) {
  auto reader = itk::ImageFileReader<VolumeType>::New();
  reader->SetFileName(path);
  reader->SetImageIO(io);
  try {
    reader->Update();
  } catch (const itk::ExceptionObject& e) {
    throw ImageIOError(path, "cannot read voxel data (truncated or corrupt): " + detail::shortReason(e.GetDescription()));
  }
  return reader->GetOutput();
}

Image readRgb(const std::string& path, itk::ImageIOBase* io, PixelType storedType) {
  using RgbVolume = itk::Image<itk::RGBPixel<float>, 3>;
  auto volume = readVolume<RgbVolume>(path, io);
  // Geometry through a scalar twin, so that one function defines how ITK geometry is taken over.
  auto twin = detail::FloatVolume::New();
  twin->SetRegions(volume->GetLargestPossibleRegion());
  twin->SetSpacing(volume->GetSpacing());
  twin->SetOrigin(volume->GetOrigin());
  twin->SetDirection(volume->GetDirection());
  const ImageGeometry geometry = detail::geometryOf(twin, 2);
  const auto* rgb = volume->GetBufferPointer();
  const std::size_t pixels = geometry.voxelCount();
  // Grey pictures saved as RGB (BMP palettes, many ultrasound exports) are grey: keep one channel.
  bool grey = true;
  for (std::size_t p = 0; p < pixels && grey; ++p) grey = rgb[p][0] == rgb[p][1] && rgb[p][1] == rgb[p][2];
  Image image(geometry, grey ? 1 : 3, storedType);
  auto& out = image.voxels();
  for (std::size_t p = 0; p < pixels; ++p)
    for (unsigned c = 0; c < image.components(); ++c) out[p * image.components() + c] = rgb[p][c];
  return image;
}

// A file's ImageIO with its header read and checked, before any voxel is allocated.
struct OpenedHeader {
  itk::ImageIOBase::Pointer io;
  DeclaredLayout layout;
  std::string extension;
  bool nifti = false;               // a single-file NIfTI (.nii, .nii.gz) ...
  detail::NiftiLayout niftiLayout;  // ... and its own reading of the header, for the voxel scan
};

void requireNonEmptyRegularFile(const std::string& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw ImageIOError(path, "no such file");
  if (!fs::is_regular_file(status)) throw ImageIOError(path, "not a regular file");
  const auto fileBytes = fs::file_size(path, ec);
  if (ec) throw ImageIOError(path, "cannot determine the file size: " + ec.message());
  if (fileBytes == 0) throw ImageIOError(path, "file is empty (0 bytes)");
}

bool isPicture(detail::FileFormat format) {
  using F = detail::FileFormat;
  return format == F::Png || format == F::Jpeg || format == F::Bmp;
}

// What the file holds, told from its bytes; a format MedClick does not read is refused here, before
// any decoder sees it.
detail::FileFormat formatOf(const std::string& path) {
  requireNonEmptyRegularFile(path);
  const detail::FileFormat format = detail::detectFileFormat(path);
  if (format == detail::FileFormat::Unknown)
    throw ImageIOError(path, "not a recognised image: its contents are none of PNG, JPEG, BMP, TIFF, NIfTI, NRRD, MetaImage or DICOM "
                             "(wrong magic or unsupported format)");
  const detail::FileFormat named = detail::formatNamedBy(path);
  if (named != detail::FileFormat::Unknown && named != format)
    throw ImageIOError(path, "holds " + detail::formatName(format) + " data but its name says " + detail::formatName(named) +
                             "; rename it to match its contents");
  return format;
}

// The structure check of each ITK-read format, then that format's own ImageIO (never the factory,
// which would let any ITK reader claim the file).
itk::ImageIOBase::Pointer checkedImageIO(const std::string& path, detail::FileFormat format) {
  using F = detail::FileFormat;
  switch (format) {
  case F::Tiff: detail::checkTiffStructure(path); return itk::TIFFImageIO::New().GetPointer();
  case F::Nifti: return itk::NiftiImageIO::New().GetPointer(); // checked by readNiftiLayout in openHeader
  case F::NiftiPair: detail::checkNiftiPair(path); return itk::NiftiImageIO::New().GetPointer();
  case F::Nrrd: detail::checkNrrdHeader(path); return itk::NrrdImageIO::New().GetPointer();
  case F::MetaImage: detail::checkMetaImageHeader(path); return itk::MetaImageIO::New().GetPointer();
  case F::Dicom: detail::checkDicomStructure(path); return itk::GDCMImageIO::New().GetPointer();
  default: throw ImageIOError(path, "not a volume format");
  }
}

OpenedHeader openHeader(const std::string& path, detail::FileFormat format) {
  OpenedHeader header;
  header.nifti = format == detail::FileFormat::Nifti;
  if (header.nifti) header.niftiLayout = detail::readNiftiLayout(path);
  header.io = checkedImageIO(path, format);
  header.io->SetFileName(path);
  try {
    header.io->ReadImageInformation();
  } catch (const itk::ExceptionObject& e) {
    throw ImageIOError(path, "cannot read the header: " + detail::shortReason(e.GetDescription()));
  }
  header.extension = lowerExtension(path);
  header.layout = checkDeclaredLayout(path, header.io, fs::file_size(path), header.extension);
  return header;
}

Image readFile(const std::string& path) {
  const detail::FileFormat format = formatOf(path);
  if (isPicture(format)) return detail::readPicture(path, format);
  const OpenedHeader header = openHeader(path, format);
  itk::ImageIOBase* io = header.io;
  const PixelType storedType = detail::pixelTypeOf(io->GetComponentType());
  // niftilib reads NaN/Inf as 0, and short data (gzip or plain) without complaint: the raw voxels are
  // scanned first, so that short data is refused before ITK reads any of it.
  const std::vector<std::size_t> nonFinite = header.nifti ? detail::scanNiftiVoxels(path, header.niftiLayout) : std::vector<std::size_t>{};
  if (header.layout.components == 3) return readRgb(path, io, storedType);
  auto volume = readVolume<detail::FloatVolume>(path, io);
  Image image = detail::imageFromVolume(volume, header.layout.dimension, storedType);
  for (const std::size_t index : nonFinite)
    if (index < image.voxels().size()) image.voxels()[index] = std::numeric_limits<float>::quiet_NaN();
  return image;
}

} // namespace

Image readImage(const std::string& path, const ImageReadOptions& options) {
  std::error_code ec;
  Image image = fs::is_directory(path, ec) ? readDicomSeries(path, options.dicomSeriesUid) : readFile(path);
  image.replaceNonFinite();
  if (image.nonFiniteCount() > 0)
    spdlog::warn("{}: {} NaN/Inf voxels replaced by the minimum finite value", path, image.nonFiniteCount());
  spdlog::debug("read {}: {}", path, image.geometry().describe());
  return image;
}

unsigned readImageDimension(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return 3; // a DICOM series
  const detail::FileFormat format = formatOf(path);
  if (isPicture(format)) return 2;
  return openHeader(path, format).layout.dimension;
}

} // namespace medclick
