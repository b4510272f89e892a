#include "io/picture_reader.h"

#include "io/checks/bmp_structure.h"
#include "io/checks/file_bytes.h"
#include "io/checks/jpeg_structure.h"
#include "io/checks/png_structure.h"
#include "io/image_io_error.h"
#include "io/image_reader.h"

#include <opencv2/imgcodecs.hpp>

namespace medclick::detail {

namespace {

constexpr std::uint64_t kMaxPictureFileBytes = 1ull << 30;

PictureFacts checkStructure(const std::string& path, FileFormat format, const Bytes& bytes) {
  switch (format) {
  case FileFormat::Png: return checkPngStructure(path, bytes);
  case FileFormat::Jpeg: return checkJpegStructure(path, bytes);
  case FileFormat::Bmp: return checkBmpStructure(path, bytes);
  default: throw ImageIOError(path, "not a PNG, JPEG or BMP picture");
  }
}

template <typename T> void copyPixels(const cv::Mat& decoded, Image& image) {
  // OpenCV orders colour channels B, G, R (, A); MedClick keeps R, G, B and drops alpha.
  const int channels = decoded.channels();
  auto& out = image.voxels();
  const unsigned components = image.components();
  std::size_t p = 0;
  for (int y = 0; y < decoded.rows; ++y) {
    const T* row = decoded.ptr<T>(y);
    for (int x = 0; x < decoded.cols; ++x, ++p) {
      const T* pixel = row + static_cast<std::size_t>(x) * channels;
      if (components == 1) out[p] = pixel[0];
      else for (unsigned c = 0; c < 3; ++c) out[p * 3 + c] = pixel[2 - c];
    }
  }
}

template <typename T> bool colourIsGrey(const cv::Mat& decoded) {
  if (decoded.channels() == 1) return true;
  for (int y = 0; y < decoded.rows; ++y) {
    const T* row = decoded.ptr<T>(y);
    for (int x = 0; x < decoded.cols; ++x) {
      const T* pixel = row + static_cast<std::size_t>(x) * decoded.channels();
      if (pixel[0] != pixel[1] || pixel[1] != pixel[2]) return false;
    }
  }
  return true;
}

} // namespace

Image readPicture(const std::string& path, FileFormat format) {
  const Bytes bytes = readWholeFile(path, kMaxPictureFileBytes);
  const PictureFacts facts = checkStructure(path, format, bytes);
  if (static_cast<unsigned long long>(facts.width) * facts.height * 3 > kMaxVoxelComponents)
    throw ImageIOError(path, "header declares " + std::to_string(facts.width) + "x" + std::to_string(facts.height) +
                                 " pixels, beyond MedClick's limit");
  cv::Mat decoded;
  try {
    const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8U, const_cast<unsigned char*>(bytes.data()));
    decoded = cv::imdecode(encoded, cv::IMREAD_UNCHANGED); // UNCHANGED: 16-bit kept, no EXIF rotation
  } catch (const cv::Exception& e) {
    throw ImageIOError(path, "cannot decode the " + formatName(format) + " pixel data: " + e.msg);
  }
  if (decoded.empty()) throw ImageIOError(path, "cannot decode the " + formatName(format) + " pixel data (corrupt)");
  if (decoded.cols != static_cast<int>(facts.width) || decoded.rows != static_cast<int>(facts.height))
    throw ImageIOError(path, "the decoder returned " + std::to_string(decoded.cols) + "x" + std::to_string(decoded.rows) +
                                 " pixels where the header declares " + std::to_string(facts.width) + "x" + std::to_string(facts.height));
  const bool sixteenBit = decoded.depth() == CV_16U;
  if (decoded.depth() != CV_8U && !sixteenBit) throw ImageIOError(path, "unsupported pixel depth in the " + formatName(format) + " data");
  if (decoded.channels() != 1 && decoded.channels() != 3 && decoded.channels() != 4)
    throw ImageIOError(path, "unsupported channel count in the " + formatName(format) + " data");

  ImageGeometry geometry;
  geometry.dimension = 2;
  geometry.size = {facts.width, facts.height, 1};
  geometry.spacing = {facts.spacing[0], facts.spacing[1], 1.0};
  // Grey pictures saved as colour (BMP palettes, many ultrasound exports) are grey: keep one channel.
  const bool grey = sixteenBit ? colourIsGrey<std::uint16_t>(decoded) : colourIsGrey<std::uint8_t>(decoded);
  Image image(geometry, grey ? 1 : 3, sixteenBit ? PixelType::UInt16 : PixelType::UInt8);
  if (sixteenBit) copyPixels<std::uint16_t>(decoded, image);
  else copyPixels<std::uint8_t>(decoded, image);
  return image;
}

} // namespace medclick::detail
