#pragma once
// What every benchmark here measures the same way: warm-up runs, then timed runs with the device
// synchronised around each, and percentiles of the times.

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace medclick {

// The q-quantile (0..1) of the values, nearest rank.
inline double percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<size_t>(q * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

// Waits for a CUDA device's queued work, so a timing ends when the work does.
inline void synchronize(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize();
}

// Seconds of each of `repeat` (at least 1) timed runs of work, after `warmup` untimed ones.
template <typename Work>
std::vector<double> secondsOf(const Work& work, int warmup, int repeat, const torch::Device& device) {
  for (int i = 0; i < warmup; ++i) work();
  synchronize(device);
  std::vector<double> seconds;
  for (int i = 0; i < std::max(1, repeat); ++i) {
    const auto start = std::chrono::steady_clock::now();
    work();
    synchronize(device);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return seconds;
}

} // namespace medclick
