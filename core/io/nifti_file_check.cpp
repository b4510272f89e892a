#include "io/nifti_file_check.h"

#include "io/checks/header_text.h"
#include "io/image_io_error.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>

namespace medclick::detail {

namespace {

constexpr int kNifti1HeaderBytes = 348;
constexpr int kNifti2HeaderBytes = 540;
constexpr int kDatatypeFloat32 = 16;
constexpr int kDatatypeFloat64 = 64;
constexpr unsigned long long kMaxBytesAfterVoxels = 64ull << 20;

struct GzCloser {
  void operator()(gzFile_s* file) const { gzclose(file); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

GzFile openStream(const std::string& path) {
  GzFile file(gzopen(path.c_str(), "rb")); // reads plain files as they are
  if (!file) throw ImageIOError(path, "cannot open the file");
  gzbuffer(file.get(), 1 << 20);
  return file;
}

template <typename T> T readValue(const unsigned char* bytes, bool swapped) {
  unsigned char copy[sizeof(T)];
  std::memcpy(copy, bytes, sizeof(T));
  if (swapped) std::reverse(copy, copy + sizeof(T));
  T value;
  std::memcpy(&value, copy, sizeof(T));
  return value;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Bits per voxel of each NIfTI-1 datatype code (nifti1.h); 0 for codes the standard does not define.
int bitsOfDatatype(int datatype) {
  switch (datatype) {
  case 2: case 256: return 8;              // uint8, int8
  case 4: case 512: return 16;             // int16, uint16
  case 8: case 16: case 768: return 32;    // int32, float32, uint32
  case 2304: return 32;                    // RGBA32
  case 128: return 24;                     // RGB24
  case 32: case 64: case 1024: case 1280: return 64; // complex64, float64, int64, uint64
  case 1536: case 1792: return 128;        // float128, complex128
  case 2048: return 256;                   // complex256
  default: return 0;
  }
}

// ITK hands the header's spacing and matrices to VNL, which aborts the process on a NaN or Inf
// ("matrix has non-finite elements"): pixdim, the quaternion and offsets, and the sform rows must be finite.
void requireFiniteGeometry(const std::string& path, const unsigned char* header, bool nifti2, bool swapped) {
  auto real = [&](int offset) {
    return nifti2 ? readValue<double>(header + offset, swapped) : static_cast<double>(readValue<float>(header + offset, swapped));
  };
  const int width = nifti2 ? 8 : 4;
  const int pixdim = nifti2 ? 104 : 76;
  // Magnitudes beyond any scanner's (or tiny non-zero spacings) made VNL's SVD run for minutes (tests/fuzz).
  auto plausible = [](double v) { return std::isfinite(v) && std::abs(v) <= 1e7; };
  for (int i = 0; i < 8; ++i)
    if (!std::isfinite(real(pixdim + width * i))) throw ImageIOError(path, "header declares a non-finite voxel spacing (pixdim)");
  for (int i = 1; i < 4; ++i)
    if (!plausible(real(pixdim + width * i)) || (real(pixdim + width * i) != 0.0 && std::abs(real(pixdim + width * i)) < 1e-7)) throw ImageIOError(path, "header declares an implausible voxel spacing (pixdim)");
  const int qformCode = nifti2 ? readValue<std::int32_t>(header + 344, swapped) : readValue<std::int16_t>(header + 252, swapped);
  const int sformCode = nifti2 ? readValue<std::int32_t>(header + 348, swapped) : readValue<std::int16_t>(header + 254, swapped);
  const int quaternion = nifti2 ? 352 : 256; // quatern_b, c, d, qoffset_x, y, z
  if (qformCode > 0)
    for (int i = 0; i < 6; ++i)
      if (!plausible(real(quaternion + width * i))) throw ImageIOError(path, "header declares a non-finite qform (orientation) or one beyond 10^7 mm");
  const int rows = nifti2 ? 400 : 280; // srow_x, srow_y, srow_z
  if (sformCode > 0)
    for (int i = 0; i < 12; ++i)
      if (!plausible(real(rows + width * i))) throw ImageIOError(path, "header declares a non-finite sform (orientation) or one beyond 10^7 mm");
}

} // namespace

NiftiLayout readNiftiLayout(const std::string& path, bool headerOfPair) {
  GzFile file = openStream(path);
  unsigned char header[kNifti2HeaderBytes] = {};
  const int got = gzread(file.get(), header, sizeof header);
  if (got < kNifti1HeaderBytes) throw ImageIOError(path, "not a recognised image: too short for a NIfTI header");

  NiftiLayout layout;
  const auto sizeofHdr = readValue<std::int32_t>(header, false);
  const auto swappedSizeofHdr = readValue<std::int32_t>(header, true);
  const bool nifti2 = sizeofHdr == kNifti2HeaderBytes || swappedSizeofHdr == kNifti2HeaderBytes;
  layout.byteSwapped = nifti2 ? swappedSizeofHdr == kNifti2HeaderBytes : swappedSizeofHdr == kNifti1HeaderBytes;
  if (!layout.byteSwapped && sizeofHdr != kNifti1HeaderBytes && sizeofHdr != kNifti2HeaderBytes)
    throw ImageIOError(path, "not a recognised image: wrong NIfTI header size (wrong magic)");
  if (nifti2 && got < kNifti2HeaderBytes) throw ImageIOError(path, "truncated NIfTI-2 header");
  const bool s = layout.byteSwapped;

  const char* magic = reinterpret_cast<const char*>(nifti2 ? header + 4 : header + 344);
  const char* expected = headerOfPair ? (nifti2 ? "ni2" : "ni1") : (nifti2 ? "n+2" : "n+1");
  if (std::strncmp(magic, expected, 3) != 0)
    throw ImageIOError(path, headerOfPair ? "not a recognised image: a .hdr file needs the NIfTI pair magic"
                                          : "not a recognised image: a .nii file needs the single-file NIfTI magic");

  std::int64_t dims[8];
  for (int i = 0; i < 8; ++i)
    dims[i] = nifti2 ? readValue<std::int64_t>(header + 16 + 8 * i, s) : readValue<std::int16_t>(header + 40 + 2 * i, s);
  layout.datatype = readValue<std::int16_t>(header + (nifti2 ? 12 : 70), s);
  const int bitpix = readValue<std::int16_t>(header + (nifti2 ? 14 : 72), s);
  if (nifti2) {
    layout.voxelOffset = readValue<std::int64_t>(header + 168, s);
  } else {
    const float offset = readValue<float>(header + 108, s);
    if (!std::isfinite(offset) || offset < 0 || offset > 1e12f) // checked before the cast: a float past long long's range is UB
      throw ImageIOError(path, "header declares an invalid vox_offset");
    layout.voxelOffset = static_cast<long long>(offset);
  }
  requireFiniteGeometry(path, header, nifti2, s);

  if (dims[0] < 1 || dims[0] > 7)
    throw ImageIOError(path, "header declares " + std::to_string(dims[0]) + " dimensions (NIfTI allows 1 to 7)");
  layout.dimensionCount = static_cast<int>(dims[0]);
  for (int a = 1; a <= dims[0]; ++a) {
    if (dims[a] < 1)
      throw ImageIOError(path, "header declares an invalid size along axis " + std::to_string(a - 1) + " (" +
                                   std::to_string(dims[a]) + ")");
    layout.extents.push_back(dims[a]);
  }
  const int datatypeBits = bitsOfDatatype(layout.datatype);
  if (datatypeBits == 0) throw ImageIOError(path, "header declares the unknown NIfTI datatype " + std::to_string(layout.datatype));
  if (bitpix != datatypeBits)
    throw ImageIOError(path, "header declares " + std::to_string(bitpix) + " bits per voxel for a datatype of " +
                                 std::to_string(datatypeBits) + " bits");
  layout.bytesPerVoxel = bitpix / 8;
  const long long firstVoxelByte = nifti2 ? kNifti2HeaderBytes : kNifti1HeaderBytes + 4; // header + extension flag
  if (headerOfPair) {
    if (layout.voxelOffset < 0) throw ImageIOError(path, "header declares a negative vox_offset");
    return layout;
  }
  if (layout.voxelOffset < firstVoxelByte)
    throw ImageIOError(path, "header declares the voxels inside the header (vox_offset " + std::to_string(layout.voxelOffset) + ")");
  return layout;
}

std::vector<std::size_t> scanNiftiVoxels(const std::string& path, const NiftiLayout& layout) {
  unsigned long long voxels = 1;
  for (const long long extent : layout.extents) voxels *= static_cast<unsigned long long>(extent);
  const unsigned long long dataBytes = voxels * static_cast<unsigned long long>(layout.bytesPerVoxel);

  GzFile file = openStream(path);
  if (gzseek(file.get(), static_cast<z_off_t>(layout.voxelOffset), SEEK_SET) != layout.voxelOffset)
    throw ImageIOError(path, "truncated or corrupt: the voxel data does not start where the header says");

  const bool isFloat = layout.datatype == kDatatypeFloat32 || layout.datatype == kDatatypeFloat64;
  const int voxelBytes = layout.bytesPerVoxel;
  std::vector<std::size_t> nonFinite;
  std::vector<unsigned char> chunk(std::size_t{1} << 20);
  unsigned long long done = 0;
  while (done < dataBytes) {
    const unsigned want = static_cast<unsigned>(std::min<unsigned long long>(chunk.size(), dataBytes - done));
    const int got = gzread(file.get(), chunk.data(), want);
    if (got <= 0) {
      int code = Z_OK;
      const char* message = gzerror(file.get(), &code);
      throw ImageIOError(path, "truncated or corrupt: the voxel data ends after " + std::to_string(done) + " of " +
                                   std::to_string(dataBytes) + " bytes" +
                                   (code != Z_OK && message && *message ? std::string(" (") + message + ")" : std::string()));
    }
    if (isFloat) {
      // Chunks are whole multiples of 4 and 8 bytes except possibly the last; voxels never straddle them
      // because every read but the last fills the chunk, whose size is a multiple of 8.
      for (int offset = 0; offset + voxelBytes <= got; offset += voxelBytes) {
        const double value = voxelBytes == 4 ? readValue<float>(chunk.data() + offset, layout.byteSwapped)
                                             : readValue<double>(chunk.data() + offset, layout.byteSwapped);
        if (!std::isfinite(value)) nonFinite.push_back(static_cast<std::size_t>((done + offset) / voxelBytes));
      }
    }
    done += static_cast<unsigned>(got);
  }
  // Read on to the end, so that a gzip stream cut in its trailer (CRC and length) or corrupt after the
  // voxels is refused too; what follows the voxels is bounded, a stream may not go on for ever.
  unsigned long long after = 0;
  for (int got = 0; (got = gzread(file.get(), chunk.data(), static_cast<unsigned>(chunk.size()))) != 0;) {
    int code = Z_OK;
    const char* message = gzerror(file.get(), &code);
    if (got < 0 || code != Z_OK)
      throw ImageIOError(path, std::string("truncated or corrupt: the compressed stream does not end cleanly after the voxels") +
                                   (message && *message ? std::string(" (") + message + ")" : std::string()));
    after += static_cast<unsigned>(got);
    if (after > kMaxBytesAfterVoxels) return nonFinite;
  }
  int code = Z_OK;
  const char* message = gzerror(file.get(), &code);
  if (code != Z_OK) // Z_BUF_ERROR "unexpected end of file": the stream stops inside its trailer
    throw ImageIOError(path, std::string("truncated or corrupt: the compressed stream does not end cleanly after the voxels") +
                                 (message && *message ? std::string(" (") + message + ")" : std::string()));
  return nonFinite;
}

void checkNiftiPair(const std::string& headerPath) {
  const NiftiLayout layout = readNiftiLayout(headerPath, true);
  if (!endsWith(lower(headerPath), ".hdr")) throw ImageIOError(headerPath, "a NIfTI pair header must be named .hdr");
  // The voxels are in the sibling .img, by name: no header field can point elsewhere.
  const std::string image = headerPath.substr(0, headerPath.size() - 4) + (headerPath.compare(headerPath.size() - 4, 4, ".HDR") == 0 ? ".IMG" : ".img");
  std::error_code ec;
  const auto imageBytes = std::filesystem::file_size(image, ec);
  if (ec) throw ImageIOError(headerPath, "the NIfTI pair's voxel file " + image + " cannot be read: " + ec.message());
  std::uint64_t voxelBytes = 0;
  if (!checkedVoxelBytes(layout.extents, static_cast<std::uint64_t>(layout.bytesPerVoxel), voxelBytes))
    throw ImageIOError(headerPath, "header declares more voxels than MedClick can address");
  const std::uint64_t needed = static_cast<std::uint64_t>(layout.voxelOffset) + voxelBytes;
  if (imageBytes < needed)
    throw ImageIOError(headerPath, "truncated: the header declares " + std::to_string(needed) + " bytes of voxels, " + image + " holds " +
                                       std::to_string(imageBytes));
}

} // namespace medclick::detail
