// medclick-session-bench: what one 3D click costs the session and the GUI's snapshot around the
// network, and how memory grows over a long session (issue 22's measure). The network is replaced
// by a patch engine that changes only a ball around each click, as CAISeg changes only its patch,
// so the figures are the session's own: copies, undo compression, snapshot.
//   medclick-session-bench [--size 512x512x300] [--clicks 100] [--radius 12]
// Prints per-click ms (mean, median, max), peak RSS and the undo history's bytes.

#include "model/session_controller.h"

#include <QCoreApplication>

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

using namespace medclick;

namespace {

// Sets a ball of `radius` voxels around the newest click to 0.9 (positive) or 0.1 (negative);
// every other voxel keeps the previous probability.
class PatchEngine : public SegmentationEngine {
public:
  explicit PatchEngine(double radius) : radius_(radius) {}
  std::string name() const override { return "patch"; }
  std::string deviceName() const override { return "cpu"; }
  EngineCapabilities capabilities() const override {
    EngineCapabilities c;
    c.dimension = 3;
    return c;
  }
  void setImage(const EngineImage& image) override { size_ = image.size; }
  VoxelBox refine(const VolumeClickList& clicks, std::size_t, float* p) override {
    const VolumeClick& c = clicks.back();
    VoxelBox box;
    const double centre[3] = {c.i, c.j, c.k};
    for (int a = 0; a < 3; ++a) {
      box.begin[a] = static_cast<std::size_t>(std::max(0.0, std::ceil(centre[a] - radius_)));
      box.end[a] = std::min(size_[a], static_cast<std::size_t>(std::floor(centre[a] + radius_)) + 1);
    }
    for (std::size_t k = box.begin[2]; k < box.end[2]; ++k)
      for (std::size_t j = box.begin[1]; j < box.end[1]; ++j)
        for (std::size_t i = box.begin[0]; i < box.end[0]; ++i) {
          const double d2 = (i - c.i) * (i - c.i) + (j - c.j) * (j - c.j) + (k - c.k) * (k - c.k);
          if (d2 <= radius_ * radius_) p[(k * size_[1] + j) * size_[0] + i] = c.positive ? 0.9f : 0.1f;
        }
    return box;
  }

private:
  double radius_;
  std::array<std::size_t, 3> size_{};
};

double peakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0; // kilobytes on Linux
}

} // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  std::array<std::size_t, 3> size{512, 512, 300};
  int clicks = 100;
  double radius = 12;
  for (int a = 1; a + 1 < argc; a += 2) {
    if (!std::strcmp(argv[a], "--size")) std::sscanf(argv[a + 1], "%zux%zux%zu", &size[0], &size[1], &size[2]);
    else if (!std::strcmp(argv[a], "--clicks")) clicks = std::stoi(argv[a + 1]);
    else if (!std::strcmp(argv[a], "--radius")) radius = std::stod(argv[a + 1]);
  }
  ImageGeometry geometry;
  geometry.dimension = 3;
  geometry.size = size;
  auto image = std::make_shared<Image>(geometry, 1, PixelType::Int16);
  std::printf("volume %zux%zux%zu, %d clicks, patch radius %.0f voxels\n", size[0], size[1], size[2], clicks, radius);
  std::printf("peak RSS with the image open: %.0f MiB\n", peakRssMiB());

  ui::SessionController controller;
  controller.chooseEngine([radius] { return std::make_shared<PatchEngine>(radius); });
  controller.openImage(image);
  controller.waitUntilIdle();
  const double rssOpen = peakRssMiB();

  std::mt19937 random(22);
  std::vector<double> ms;
  for (int n = 0; n < clicks; ++n) {
    // A click on an axial slice, as the viewer sends it: the session makes it a 3D click.
    const Click click{std::uniform_real_distribution<double>(0, size[0] - 1)(random),
                      std::uniform_real_distribution<double>(0, size[1] - 1)(random), n % 3 != 2};
    const SliceRef slice{SliceAxis::Axial, static_cast<std::size_t>(random() % size[2])};
    const auto start = std::chrono::steady_clock::now();
    controller.addClick(slice, click);
    controller.waitUntilIdle(); // the snapshot has reached the GUI thread
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    if ((n + 1) % std::max(1, clicks / 10) == 0)
      std::printf("  after %4d clicks: peak RSS %.0f MiB, last click %.1f ms\n", n + 1, peakRssMiB(), ms.back());
    std::fflush(stdout);
  }
  std::vector<double> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  for (double v : ms) sum += v;
  std::printf("per click: mean %.1f ms, median %.1f ms, max %.1f ms\n", sum / ms.size(), sorted[sorted.size() / 2], sorted.back());
  std::printf("peak RSS: %.0f MiB (%.0f MiB after opening, growth %.0f MiB over %d clicks)\n", peakRssMiB(), rssOpen,
              peakRssMiB() - rssOpen, clicks);
  return 0;
}
