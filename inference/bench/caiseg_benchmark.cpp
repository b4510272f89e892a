#include "inference/bench/caiseg_benchmark.h"

#include "inference/bench/flop_counter.h"
#include "inference/bench/repeated_timing.h"
#include "inference/caiseg/caiseg_network.h"
#include "engine/device.h"
#include "runtime/cpu_tuning.h"
#include "json/json_value.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace medclick {

std::vector<CaisegBenchmarkResult> benchmarkCaiseg(const CaisegBenchmarkOptions& options) {
  tuneCpuRuntime(options.threads);
  const torch::Device device = chooseDevice(options.device);
  std::vector<CaisegBenchmarkResult> results;
  for (const auto& variant : options.variants) {
    CaisegNetwork network(CaisegOptions::named(variant, options.anisotropic));
    network->to(device);
    network->eval();
    torch::InferenceMode inference;
    torch::manual_seed(0);
    const auto [D, H, W] = options.patch;
    const auto tensorOptions = torch::TensorOptions().device(device);
    const auto volume = torch::randn({1, 1, D, H, W}, tensorOptions);
    const auto previous = (torch::rand({1, 1, D, H, W}, tensorOptions) > 0.5).to(torch::kFloat);
    // A third round: two foreground points, one background point.
    CaisegPrompt prompt;
    prompt.foreground = {{D * 0.5, H * 0.5, W * 0.5}, {D * 0.55, H * 0.45, W * 0.5}};
    prompt.background = {{D * 0.3, H * 0.8, W * 0.2}};
    prompt.spacing = options.anisotropic ? VoxelSpacing{2.5, 0.8, 0.8} : VoxelSpacing{1.5, 1.5, 1.5};

    const auto refineOnce = [&](const CaisegFeatures& features) {
      return CaisegNetworkImpl::foregroundProbability(network->refine(features, {prompt}, previous, false).logits);
    };

    CaisegBenchmarkResult result;
    result.variant = variant;
    result.device = device.str();
    result.patch = options.patch;
    for (const auto& p : network->parameters()) result.params += p.numel();
    CaisegFeatures features;
    {
      FlopCounter counter;
      features = network->encode(volume);
      const double encodeFlops = counter.flops();
      refineOnce(features);
      result.fullGflops = counter.flops() / 1e9;
      result.refineGflops = (counter.flops() - encodeFlops) / 1e9;
    }
    const auto full = secondsOf([&] { refineOnce(network->encode(volume)); }, options.warmup, options.repeat, device);
    const auto refine = secondsOf([&] { refineOnce(features); }, options.warmup, options.repeat, device);
    result.fullMedianS = percentile(full, 0.5);
    result.fullP90S = percentile(full, 0.9);
    result.refineMedianS = percentile(refine, 0.5);
    result.refineP90S = percentile(refine, 0.9);
    results.push_back(result);
  }
  return results;
}

std::string toJsonLine(const CaisegBenchmarkResult& r) {
  char numbers[320];
  std::snprintf(numbers, sizeof numbers,
                "\"patch\":[%d,%d,%d],\"params\":%lld,\"full_gflops\":%.3f,\"refine_gflops\":%.3f,\"full_median_s\":%.3f,"
                "\"full_p90_s\":%.3f,\"refine_median_s\":%.3f,\"refine_p90_s\":%.3f",
                r.patch[0], r.patch[1], r.patch[2], r.params, r.fullGflops, r.refineGflops, r.fullMedianS, r.fullP90S,
                r.refineMedianS, r.refineP90S);
  return "{\"model\":\"caiseg\",\"variant\":" + json::quote(r.variant) + ",\"device\":" + json::quote(r.device) + "," + numbers + "}";
}

std::string toTextLine(const CaisegBenchmarkResult& r) {
  char line[320];
  std::snprintf(line, sizeof line,
                "caiseg %-6s %-7s %dx%dx%d params %6.2f M  full %7.1f GFLOP median %6.2f s p90 %6.2f s  |  refine %6.1f GFLOP "
                "median %6.2f s p90 %6.2f s",
                r.variant.c_str(), r.device.c_str(), r.patch[0], r.patch[1], r.patch[2], r.params / 1e6, r.fullGflops,
                r.fullMedianS, r.fullP90S, r.refineGflops, r.refineMedianS, r.refineP90S);
  return line;
}

} // namespace medclick
