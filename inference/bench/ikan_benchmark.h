#pragma once
// What `medclick-cli bench --model ikan` and `medclick-bench` print: for each variant, the
// parameters, GFLOPs and the time of one click (modulation + forward + up-sampling) after warm-up.
// Torch-free, so the CLI includes it cheaply.

#include <string>
#include <vector>

namespace medclick {

struct BenchmarkResult {
  std::string model, variant, device;
  int size = 0;
  long long params = 0;
  double gflops = 0, medianMs = 0, p90Ms = 0;
};

struct BenchmarkOptions {
  std::vector<std::string> variants{"small", "paper"};
  int size = 256;     // network resolution, and the side of the synthetic square image
  int repeat = 20;
  int warmup = 3;
  std::string device = "auto";
  int threads = 0;
};

std::vector<BenchmarkResult> benchmarkIkan(const BenchmarkOptions& options);

std::string toJsonLine(const BenchmarkResult& result); // keys: model variant device size params gflops median_ms p90_ms
std::string toTextLine(const BenchmarkResult& result);

} // namespace medclick
