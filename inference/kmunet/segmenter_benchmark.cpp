#include "kmunet/segmenter_benchmark.h"

#include "inference/bench/flop_counter.h"
#include "inference/bench/repeated_timing.h"
#include "engine/device.h"
#include "kanunet/kanunet_network.h"
#include "kmunet/kmunet_network.h"
#include "runtime/cpu_tuning.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>

namespace medclick {

namespace {

template <typename Network>
BenchmarkResult timeNetwork(const std::string& model, const std::string& variant, Network& network, int64_t inChannels,
                            const torch::Device& device, const BenchmarkOptions& options) {
  network->to(device);
  network->eval();
  BenchmarkResult result;
  result.model = model;
  result.variant = variant;
  result.device = device.str();
  result.size = options.size;
  for (const auto& p : network->parameters()) result.params += p.numel();
  torch::InferenceMode inference;
  torch::manual_seed(0);
  const auto image = torch::randn({1, inChannels, options.size, options.size}, torch::TensorOptions().device(device));
  const auto run = [&] { return torch::sigmoid(network->forward(image)); };
  {
    FlopCounter counter;
    run();
    result.gflops = counter.flops() / 1e9;
  }
  const auto seconds = secondsOf(run, options.warmup, options.repeat, device);
  result.medianMs = 1e3 * percentile(seconds, 0.5);
  result.p90Ms = 1e3 * percentile(seconds, 0.9);
  return result;
}

} // namespace

std::vector<BenchmarkResult> benchmarkKmUnet(const BenchmarkOptions& options) {
  tuneCpuRuntime(options.threads);
  const torch::Device device = chooseDevice(options.device);
  std::vector<BenchmarkResult> results;
  for (const auto& variant : options.variants) {
    KmUnetNetwork network(KmUnetOptions::named(variant));
    results.push_back(timeNetwork("kmunet", variant, network, network->options().inChannels, device, options));
  }
  return results;
}

std::vector<BenchmarkResult> benchmarkKanUnet(const BenchmarkOptions& options) {
  tuneCpuRuntime(options.threads);
  const torch::Device device = chooseDevice(options.device);
  std::vector<BenchmarkResult> results;
  for (const auto& variant : options.variants) {
    KanUnetNetwork network(KanUnetOptions::named(variant));
    results.push_back(timeNetwork("kanunet", variant, network, network->options().inChannels, device, options));
  }
  return results;
}

} // namespace medclick
