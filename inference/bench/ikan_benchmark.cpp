#include "inference/bench/ikan_benchmark.h"

#include "inference/bench/flop_counter.h"
#include "inference/bench/repeated_timing.h"
#include "engine/device.h"
#include "inference/ikan/ikan_network.h"
#include "runtime/cpu_tuning.h"
#include "json/json_value.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>

namespace medclick {

namespace {

namespace F = torch::nn::functional;

} // namespace

std::vector<BenchmarkResult> benchmarkIkan(const BenchmarkOptions& options) {
  tuneCpuRuntime(options.threads);
  const torch::Device device = chooseDevice(options.device);
  std::vector<BenchmarkResult> results;
  for (const auto& variant : options.variants) {
    IkanOptions networkOptions = IkanOptions::named(variant);
    networkOptions.inputSize = options.size;
    IkanNetwork network(networkOptions);
    network->to(device);
    network->eval();
    torch::InferenceMode inference;
    torch::manual_seed(0);
    const auto s = options.size;
    const auto image = torch::randn({1, 3, s, s}, torch::TensorOptions().device(device));
    const auto previous = torch::rand({1, 1, s, s}, torch::TensorOptions().device(device));
    const ClickList clicks{{s * 0.4, s * 0.5, true}, {s * 0.7, s * 0.3, false}, {s * 0.45, s * 0.55, true}};

    // One click: modulate the previous map for the newest click, run the network, up-sample to a
    // 1.5× larger image as the engine does for a real image.
    const auto click = [&] {
      const auto input = network->prepareInput(image, previous, {clicks}, {clicks.size() - 1});
      const auto logits = network->forward(input);
      const auto up = F::interpolate(logits, F::InterpolateFuncOptions()
                                                 .size(std::vector<int64_t>{s * 3 / 2, s * 3 / 2})
                                                 .mode(torch::kBilinear)
                                                 .align_corners(false));
      return IkanNetworkImpl::foregroundProbability(up);
    };

    BenchmarkResult result;
    result.model = "ikan";
    result.variant = variant;
    result.device = device.str();
    result.size = s;
    for (const auto& p : network->parameters()) result.params += p.numel();
    {
      FlopCounter counter;
      network->forward(network->prepareInput(image, previous, {clicks}, {clicks.size() - 1}));
      result.gflops = counter.flops() / 1e9;
    }
    const auto seconds = secondsOf(click, options.warmup, options.repeat, device);
    result.medianMs = 1e3 * percentile(seconds, 0.5);
    result.p90Ms = 1e3 * percentile(seconds, 0.9);
    results.push_back(result);
  }
  return results;
}

std::string toJsonLine(const BenchmarkResult& r) {
  char numbers[160];
  std::snprintf(numbers, sizeof numbers, "\"size\":%d,\"params\":%lld,\"gflops\":%.3f,\"median_ms\":%.2f,\"p90_ms\":%.2f", r.size,
                r.params, r.gflops, r.medianMs, r.p90Ms);
  return "{\"model\":" + json::quote(r.model) + ",\"variant\":" + json::quote(r.variant) + ",\"device\":" + json::quote(r.device) +
         "," + numbers + "}";
}

std::string toTextLine(const BenchmarkResult& r) {
  char line[256];
  std::snprintf(line, sizeof line, "%-5s %-6s %-7s %4dx%-4d params %6.2f M  %6.2f GFLOP  median %7.1f ms  p90 %7.1f ms",
                r.model.c_str(), r.variant.c_str(), r.device.c_str(), r.size, r.size, r.params / 1e6, r.gflops, r.medianMs, r.p90Ms);
  return line;
}

} // namespace medclick
