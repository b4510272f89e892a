#pragma once
// What `medclick-bench --model caiseg` prints: for each CAISeg variant, the parameters, the conv +
// matmul GFLOPs of a full forward and of a refinement, and the median and p90 seconds of
//   full    encode (V-Net + cross-attention) + refine: the first click on a new patch
//   refine  refine only, from the patch's features computed once: every later click
// on a synthetic patch (issue 5: 96×128×128, goal ≤ 1.5 s per refinement on a 2-core CPU). A
// refinement is what the engine runs per click: IGM + head + foreground probability, without the
// deep-supervision output. Torch-free, so the CLI includes it cheaply.

#include <array>
#include <string>
#include <vector>

namespace medclick {

struct CaisegBenchmarkOptions {
  std::vector<std::string> variants{"slim"};
  std::array<int, 3> patch{96, 128, 128}; // D, H, W
  bool anisotropic = false;
  int repeat = 5;
  int warmup = 1;
  std::string device = "auto";
  int threads = 0;
};

struct CaisegBenchmarkResult {
  std::string variant, device;
  std::array<int, 3> patch{};
  long long params = 0;
  double fullGflops = 0, refineGflops = 0;
  double fullMedianS = 0, fullP90S = 0, refineMedianS = 0, refineP90S = 0;
};

std::vector<CaisegBenchmarkResult> benchmarkCaiseg(const CaisegBenchmarkOptions& options);

// keys: model variant device patch params full_gflops refine_gflops full_median_s full_p90_s
// refine_median_s refine_p90_s
std::string toJsonLine(const CaisegBenchmarkResult& result);
std::string toTextLine(const CaisegBenchmarkResult& result);

} // namespace medclick
