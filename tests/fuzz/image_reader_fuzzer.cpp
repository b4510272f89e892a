// libFuzzer target over medclick::readImage, the reader entry point of core/io.
//
// Input layout: byte 0 picks the file extension (kExtensions[byte % count]), the rest is the file's
// content. It is written to "input<ext>" in a per-process scratch folder, next to a small valid
// "data.raw" that detached headers (.nhdr, .mhd) may name, and read with readImage.
// ImageIOError (and any other std::exception) is the correct answer to a bad file and is ignored;
// a crash, abort, sanitizer report, hang (-timeout) or runaway allocation (-malloc_limit_mb) is a finding.
//
// Built by tests/fuzz/CMakeLists.txt, run by tests/fuzz/run_reader_fuzzer.sh.

#include "io/image_io_error.h"
#include "io/image_reader.h"

#include <itkMultiThreaderBase.h>
#include <itkObject.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace {

namespace fs = std::filesystem;

// Keep in step with tests/fuzz/make_seeds.py, run_reader_fuzzer.sh and findings/README.md.
constexpr std::array<const char*, 11> kExtensions = {
    ".png", ".jpg", ".bmp", ".tif", ".nii", ".nii.gz", ".nrrd", ".nhdr", ".mha", ".mhd", ".dcm"};

// Removed at normal exit; a crashed process leaves its folder behind (the script cleans TMPDIR).
struct Scratch {
  fs::path folder;
  std::array<std::string, kExtensions.size()> inputPaths;

  Scratch() {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec) base = "/tmp";
    folder = base / ("medclick-reader-fuzz-" + std::to_string(::getpid()));
    fs::remove_all(folder, ec);
    fs::create_directories(folder);
    for (std::size_t i = 0; i < kExtensions.size(); ++i) inputPaths[i] = (folder / (std::string("input") + kExtensions[i])).string();

    // A valid companion for detached headers: 4096 bytes, enough for 16x12x4 voxels of up to 4 bytes
    // (the seeds' .nhdr/.mhd name "data.raw" for a 16x12 uint8 image). A ramp, not zeros, so that the
    // values reach the conversions.
    std::ofstream raw(folder / "data.raw", std::ios::binary);
    for (int i = 0; i < 4096; ++i) raw.put(static_cast<char>((i * 7) & 0xff));
    if (!raw) {
      std::fprintf(stderr, "image_reader_fuzzer: cannot write %s\n", (folder / "data.raw").c_str());
      std::abort();
    }
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(folder, ec);
  }
};

Scratch& scratch() {
  static Scratch instance;
  return instance;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off); // readImage warns on NaN voxels: no log per input
  itk::Object::SetGlobalWarningDisplay(false);
  itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(1); // deterministic, and one core per fuzzer
  scratch();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string& path = scratch().inputPaths[data[0] % kExtensions.size()];
  // Only data.raw and this input in the folder: a header that names a sibling file must not see the
  // previous input, or a finding would depend on the inputs before it.
  static const std::string* previous = nullptr;
  if (previous && previous != &path) std::remove(previous->c_str());
  previous = &path;
  {
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (!file) std::abort();
    if (size > 1 && std::fwrite(data + 1, 1, size - 1, file) != size - 1) std::abort();
    std::fclose(file);
  }
  // MEDCLICK_FUZZ_VERBOSE=1: say what became of each input (the script checks its seeds this way).
  static const bool verbose = std::getenv("MEDCLICK_FUZZ_VERBOSE") != nullptr;
  try {
    const medclick::Image image = medclick::readImage(path);
    // Touch what was read, so that a reader which returns a wrong-sized buffer shows up under ASan.
    volatile float sink = 0;
    for (const float v : image.voxels()) sink = sink + v;
    if (verbose) std::fprintf(stderr, "MEDCLICK_FUZZ read %s: %s\n", kExtensions[data[0] % kExtensions.size()],
                              image.geometry().describe().c_str());
  } catch (const medclick::ImageIOError& e) {
    if (verbose) std::fprintf(stderr, "MEDCLICK_FUZZ rejected %s: %s\n", kExtensions[data[0] % kExtensions.size()], e.reason().c_str());
  } catch (const std::exception& e) {
    if (verbose) std::fprintf(stderr, "MEDCLICK_FUZZ rejected %s (not an ImageIOError): %s\n", kExtensions[data[0] % kExtensions.size()], e.what());
  }
  return 0;
}
