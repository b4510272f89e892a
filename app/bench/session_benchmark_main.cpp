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
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

using namespace medclick;

namespace {

// Sets a ball of `radius` voxels around the newest click to 0.9 (positive) or 0.1 (negative);
// every other voxel keeps the previous probability.
class PatchEngine : public VolumeInteractiveEngine {
public:
  explicit PatchEngine(double radius) : radius_(radius) {}
  std::string name() const override { return "patch"; }
  std::string deviceName() const override { return "cpu"; }
  void setVolume(const float*, const std::array<std::size_t, 3>& size, const std::array<double, 3>&) override { size_ = size; }
  std::vector<float> refine(const VolumeClickList& clicks, const float* previous) override {
    const std::size_t n = size_[0] * size_[1] * size_[2];
    std::vector<float> p = previous ? std::vector<float>(previous, previous + n) : std::vector<float>(n, 0.0f);
    if (clicks.empty()) return p;
    const VolumeClick& c = clicks.back();
    const auto range = [&](double centre, int axis) {
      const long lo = std::max(0l, static_cast<long>(centre - radius_));
      const long hi = std::min(static_cast<long>(size_[axis]) - 1, static_cast<long>(centre + radius_));
      return std::pair<long, long>(lo, hi);
    };
    const auto [i0, i1] = range(c.i, 0);
    const auto [j0, j1] = range(c.j, 1);
    const auto [k0, k1] = range(c.k, 2);
    for (long k = k0; k <= k1; ++k)
      for (long j = j0; j <= j1; ++j)
        for (long i = i0; i <= i1; ++i) {
          const double d2 = (i - c.i) * (i - c.i) + (j - c.j) * (j - c.j) + (k - c.k) * (k - c.k);
          if (d2 <= radius_ * radius_) p[(static_cast<std::size_t>(k) * size_[1] + j) * size_[0] + i] = c.positive ? 0.9f : 0.1f;
        }
    return p;
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
  controller.setVolumeEngine([radius] { return std::make_shared<PatchEngine>(radius); });
  controller.openImage(image);
  controller.waitUntilIdle();
  const double rssOpen = peakRssMiB();

  std::mt19937 random(22);
  std::vector<double> ms;
  for (int n = 0; n < clicks; ++n) {
    const VolumeClick click{std::uniform_real_distribution<double>(0, size[0] - 1)(random),
                            std::uniform_real_distribution<double>(0, size[1] - 1)(random),
                            std::uniform_real_distribution<double>(0, size[2] - 1)(random), n % 3 != 2};
    const auto start = std::chrono::steady_clock::now();
    controller.addVolumeClick(click);
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
