#include "io/checks/file_format.h"

#include "io/checks/file_bytes.h"

#include <algorithm>
#include <cstring>

namespace medclick::detail {

namespace {

bool startsWith(const Bytes& bytes, const char* magic, std::size_t length, std::size_t at = 0) {
  return bytes.size() >= at + length && std::memcmp(bytes.data() + at, magic, length) == 0;
}

std::string lowerName(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') + 1);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  return name;
}

bool endsWith(const std::string& s, const char* suffix) {
  const std::size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

// NIfTI has no magic at the start: sizeof_hdr (348 or 540, either byte order), then "n+1"/"ni1" at 344
// or "n+2"/"ni2" at 4.
FileFormat niftiKind(const Bytes& b) {
  if (b.size() >= 348) {
    const auto little = littleEndian32(b.data()), big = bigEndian32(b.data());
    if ((little == 348 || big == 348) && startsWith(b, "n+1", 3, 344)) return FileFormat::Nifti;
    if ((little == 348 || big == 348) && startsWith(b, "ni1", 3, 344)) return FileFormat::NiftiPair;
    if ((little == 540 || big == 540) && startsWith(b, "n+2", 3, 4)) return FileFormat::Nifti;
    if ((little == 540 || big == 540) && startsWith(b, "ni2", 3, 4)) return FileFormat::NiftiPair;
  }
  return FileFormat::Unknown;
}

// MetaImage headers are "Key = Value" text; the first key is conventionally ObjectType or NDims.
bool looksLikeMetaImage(const Bytes& b, const std::string& name) {
  if (!endsWith(name, ".mha") && !endsWith(name, ".mhd")) return false;
  const std::string text(b.begin(), b.begin() + static_cast<long>(std::min<std::size_t>(b.size(), 256)));
  for (const char* key : {"ObjectType", "NDims", "Comment", "ObjectSubType", "TransformType"})
    if (text.rfind(key, 0) == 0) return true;
  return false;
}

} // namespace

FileFormat detectFileFormat(const std::string& path) {
  const std::string name = lowerName(path);
  Bytes head = readFilePrefix(path, 1024);
  if (startsWith(head, "\x89PNG\r\n\x1a\n", 8)) return FileFormat::Png;
  if (startsWith(head, "\xff\xd8\xff", 3)) return FileFormat::Jpeg;
  if (startsWith(head, "BM", 2)) return FileFormat::Bmp;
  if (startsWith(head, "II*\0", 4) || startsWith(head, "MM\0*", 4)) return FileFormat::Tiff;
  if (startsWith(head, "NRRD000", 7)) return FileFormat::Nrrd;
  if (startsWith(head, "DICM", 4, 128)) return FileFormat::Dicom;
  if (startsWith(head, "\x1f\x8b", 2) && endsWith(name, ".nii.gz")) return FileFormat::Nifti;
  if (const FileFormat nifti = niftiKind(head); nifti != FileFormat::Unknown) return nifti;
  if (looksLikeMetaImage(head, name)) return FileFormat::MetaImage;
  return FileFormat::Unknown;
}

FileFormat formatNamedBy(const std::string& path) {
  const std::string name = lowerName(path);
  static const std::pair<const char*, FileFormat> extensions[] = {
      {".png", FileFormat::Png}, {".jpg", FileFormat::Jpeg}, {".jpeg", FileFormat::Jpeg}, {".bmp", FileFormat::Bmp},
      {".tif", FileFormat::Tiff}, {".tiff", FileFormat::Tiff}, {".nii", FileFormat::Nifti}, {".nii.gz", FileFormat::Nifti},
      {".hdr", FileFormat::NiftiPair}, {".nrrd", FileFormat::Nrrd}, {".nhdr", FileFormat::Nrrd}, {".mha", FileFormat::MetaImage},
      {".mhd", FileFormat::MetaImage}, {".dcm", FileFormat::Dicom}, {".ima", FileFormat::Dicom}};
  for (const auto& [extension, format] : extensions)
    if (endsWith(name, extension)) return format;
  return FileFormat::Unknown;
}

std::string formatName(FileFormat format) {
  switch (format) {
  case FileFormat::Png: return "PNG";
  case FileFormat::Jpeg: return "JPEG";
  case FileFormat::Bmp: return "BMP";
  case FileFormat::Tiff: return "TIFF";
  case FileFormat::Nifti: return "NIfTI";
  case FileFormat::NiftiPair: return "NIfTI (.hdr/.img)";
  case FileFormat::Nrrd: return "NRRD";
  case FileFormat::MetaImage: return "MetaImage";
  case FileFormat::Dicom: return "DICOM";
  case FileFormat::Unknown: break;
  }
  return "unknown";
}

} // namespace medclick::detail
