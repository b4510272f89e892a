#include "segmentation/clicked_objects_benchmark.h"

#include "segmentation/clicked_objects.h"

#include <itkMultiThreaderBase.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>

namespace medclick {

namespace {

std::vector<float> lesionAndFalseAlarms(const std::array<std::size_t, 3>& n, double radius) {
  std::vector<float> p(n[0] * n[1] * n[2], 0.1f);
  const double cx = n[0] / 2.0, cy = n[1] / 2.0, cz = n[2] / 2.0;
  for (std::size_t k = 0; k < n[2]; ++k)
    for (std::size_t j = 0; j < n[1]; ++j)
      for (std::size_t i = 0; i < n[0]; ++i) {
        const double dx = i - cx, dy = j - cy, dz = k - cz;
        float& v = p[(k * n[1] + j) * n[0] + i];
        if (dx * dx + dy * dy + dz * dz < radius * radius) v = 0.9f;
        if (i % 40 < 3 && j % 40 < 3 && k % 40 < 3) v = 0.8f; // a false alarm every 40 voxels
      }
  return p;
}

} // namespace

std::vector<ClickedObjectsTiming> benchmarkClickedObjects(int repeat) {
  const auto threads = itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads();
  itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(1);
  std::vector<ClickedObjectsTiming> results;
  for (const std::array<std::size_t, 3> grid : {std::array<std::size_t, 3>{240, 240, 155}, std::array<std::size_t, 3>{512, 512, 300}}) {
    ImageGeometry g;
    g.dimension = 3;
    g.size = grid;
    const std::vector<float> map = lesionAndFalseAlarms(grid, 35.0);
    const VolumeClickList clicks{{grid[0] / 2.0, grid[1] / 2.0, grid[2] / 2.0, true}};
    ClickedObjectsTiming timing;
    timing.grid = grid;
    timing.milliseconds = std::numeric_limits<double>::infinity();
    for (int r = 0; r < std::max(1, repeat); ++r) {
      std::vector<float> probability = map;
      const auto start = std::chrono::steady_clock::now();
      timing.voxelsRemoved = keepClickedObjects(probability, g, clicks, 0.5);
      timing.milliseconds = std::min(timing.milliseconds, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    results.push_back(timing);
  }
  itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(threads);
  return results;
}

std::string toTextLine(const ClickedObjectsTiming& t) {
  char line[160];
  std::snprintf(line, sizeof line, "clicked objects  %zux%zux%zu  %.1f ms per click  (%zu voxels of false alarms removed)", t.grid[0], t.grid[1],
                t.grid[2], t.milliseconds, t.voxelsRemoved);
  return line;
}

std::string toJsonLine(const ClickedObjectsTiming& t) {
  char line[160];
  std::snprintf(line, sizeof line, "{\"bench\":\"clicked_objects\",\"grid\":[%zu,%zu,%zu],\"ms\":%.3f,\"voxels_removed\":%zu}", t.grid[0], t.grid[1],
                t.grid[2], t.milliseconds, t.voxelsRemoved);
  return line;
}

} // namespace medclick
