#pragma once
// Small synthetic training sets the LibTorch-only training tests share: bright discs (2D, for IKAN)
// and bright balls (3D, for CAISeg) on darker noisy backgrounds — tasks a few steps start to learn.

#include "jobs/caiseg_training_job.h"
#include "jobs/ikan_training_job.h"

#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace medclick::test {

// 12 cases of 80×72 pixels in 6 groups ("discs/patientN"), cached at 64².
inline std::string writeDiscCache(const std::filesystem::path& path) {
  SampleCacheWriter writer(64);
  std::mt19937 random(1);
  std::normal_distribution<float> noise(0.0f, 8.0f);
  for (int c = 0; c < 12; ++c) {
    const int w = 80, h = 72;
    const double cx = 25 + 3 * c, cy = 30 + 2 * (c % 4), r = 10 + c % 5;
    std::vector<float> pixels(w * h);
    std::vector<uint8_t> mask(w * h);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const bool inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
        mask[y * w + x] = inside;
        pixels[y * w + x] = (inside ? 180.0f : 60.0f) + noise(random);
      }
    writer.add("discs/case" + std::to_string(c), "discs/patient" + std::to_string(c / 2), w, h, pixels.data(), mask.data());
  }
  writer.write(path.string());
  return path.string();
}

// 6 volumes of about 32³ voxels (spacing 1, 1, 1.2 mm; one only 24 slices thick) in 3 groups.
inline std::string writeBallCache(const std::filesystem::path& path, double minimumSpacing = 1.0) {
  VolumeCacheWriter writer(minimumSpacing);
  std::mt19937 random(1);
  std::normal_distribution<float> noise(0.0f, 10.0f);
  for (int c = 0; c < 6; ++c) {
    const int X = 32 + 4 * (c % 2), Y = 32, Z = c == 5 ? 24 : 32; // one case thinner than the patch: padded
    const double cx = 14 + c, cy = 15 + c % 3, cz = Z / 2.0, r = 5 + c % 3;
    std::vector<float> voxels(static_cast<size_t>(X * Y * Z));
    std::vector<uint8_t> mask(voxels.size());
    for (int z = 0; z < Z; ++z)
      for (int y = 0; y < Y; ++y)
        for (int x = 0; x < X; ++x) {
          const size_t i = static_cast<size_t>((z * Y + y) * X + x);
          const bool inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) <= r * r;
          mask[i] = inside;
          voxels[i] = (inside ? 200.0f : 80.0f) + noise(random);
        }
    writer.add("balls/case" + std::to_string(c), "balls/patient" + std::to_string(c / 2), X, Y, Z, {1.0, 1.0, 1.2}, voxels.data(),
               mask.data());
  }
  writer.write(path.string());
  return path.string();
}

} // namespace medclick::test
