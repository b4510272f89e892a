#include "core/data/annotated_cases.h"

#include "io/image_writer.h"

#include <filesystem>
#include <stdexcept>

namespace medclick {

namespace fs = std::filesystem;

namespace {

std::string timestamp(std::time_t at) {
  std::tm local{};
  localtime_r(&at, &local); // thread-safe: the GUI accepts cases off its own thread
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &local);
  return text;
}

} // namespace

std::string addAnnotatedCase(const std::string& folder, const Image& image, const LabelMask& mask, const std::string& stem,
                             std::time_t acceptedAt) {
  requireSameGrid(image.geometry(), mask.geometry(), "accepted mask");
  if (mask.countNonZero() == 0) throw std::invalid_argument("the mask is empty: there is nothing to accept");
  const fs::path root(folder);
  fs::create_directories(root / "images");
  fs::create_directories(root / "masks");
  // A PNG keeps a 2D image as the picture it was; a volume needs NIfTI for its geometry.
  const std::string extension = image.geometry().hasDepth() ? ".nii.gz" : ".png";
  const std::string base = (stem.empty() ? std::string("case") : stem) + "_" + timestamp(acceptedAt);
  std::string name = base + extension;
  for (int n = 2; fs::exists(root / "images" / name) || fs::exists(root / "masks" / name); ++n)
    name = base + "_" + std::to_string(n) + extension; // two accepts within one second
  writeImage(image, (root / "images" / name).string());
  writeMask(mask, (root / "masks" / name).string());
  return name;
}

} // namespace medclick
