#include "training/bench/ikan_training_benchmark.h"

#include "inference/bench/repeated_timing.h"
#include "clicks/error_click_sampler.h"
#include "training/data/augmentation.h"
#include "distributed/data_shard.h"
#include "distributed/gradient_averager.h"
#include "distributed/training_job_context.h"
#include "engine/device.h"
#include "inference/ikan/ikan_network.h"
#include "losses/soft_iou_loss.h"
#include "runtime/cpu_tuning.h"
#include "json/json_value.h"

#include <chrono>
#include <cstdio>
#include <random>

namespace medclick {

namespace {

constexpr double kPredictionThreshold = 0.49; // the trainer's (the evaluation protocol's)

std::vector<torch::Device> devicesFor(const std::string& requested) {
  if (requested != "auto") return {chooseDevice(requested)};
  std::vector<torch::Device> devices{torch::kCPU};
  if (torch::cuda::is_available()) devices.push_back(chooseDevice("cuda"));
  return devices;
}

// One ellipse per sample at a different place and size, so the simulated clicks land at different
// positions as they do on real cases.
torch::Tensor syntheticTargets(int64_t batch, int64_t size) {
  const auto coordinates = torch::arange(size, torch::kFloat32);
  const auto y = coordinates.view({size, 1}), x = coordinates.view({1, size});
  std::vector<torch::Tensor> masks;
  for (int64_t b = 0; b < batch; ++b) {
    const double cx = size * (0.35 + 0.1 * static_cast<double>(b % 3)), cy = size * (0.4 + 0.07 * static_cast<double>(b % 4));
    const double rx = size * (0.15 + 0.03 * static_cast<double>(b % 2)), ry = size * 0.12;
    masks.push_back(((x - cx) / rx).pow(2).add(((y - cy) / ry).pow(2)).le(1.0).to(torch::kFloat32).unsqueeze(0));
  }
  return torch::stack(masks); // [B, 1, S, S], 1 object, 0 background
}

void addErrorClicks(std::vector<ClickList>& clicks, const torch::Tensor& probability, const torch::Tensor& target,
                    std::vector<std::mt19937_64>& random) {
  const auto next = nextErrorClicks(probability.gt(kPredictionThreshold), target, &random);
  for (size_t b = 0; b < next.size(); ++b)
    if (next[b]) clicks[b].push_back(*next[b]);
}

torch::Tensor forwardProbability(IkanNetwork& network, const torch::Tensor& input, const torch::Tensor& previous,
                                 const std::vector<ClickList>& clicks) {
  std::vector<size_t> newest;
  for (const auto& list : clicks) newest.push_back(list.empty() ? 0 : list.size() - 1);
  return IkanNetworkImpl::foregroundProbability(network->forward(network->prepareInput(input, previous, clicks, newest))).unsqueeze(1);
}

} // namespace

std::vector<TrainingBenchmarkResult> benchmarkIkanTraining(const TrainingBenchmarkOptions& options) {
  if (options.size <= 0 || options.size % 32 != 0) throw std::invalid_argument("the training benchmark's size must be a positive multiple of 32");
  if (options.batchSize <= 0 || options.gradientRounds <= 0 || options.maxNoGradientRounds < 0 || options.steps <= 0 || options.warmup < 0)
    throw std::invalid_argument("the training benchmark needs a positive batch, gradient rounds and steps");
  tuneCpuRuntime(options.threads);
  const auto job = joinTrainingJob(options.distributedFromEnvironment, options.device == "auto" ? "cpu" : options.device, 120);
  DistributedContext& context = *job.context;
  const BatchShard shard = batchShard(options.batchSize, context.rank(), context.worldSize());
  const auto batchNormSync = context.synchronizeBatchNorm();
  const auto batchShare = context.shareGlobalBatch(options.batchSize, shard.begin);
  const auto devices = context.distributed() ? std::vector<torch::Device>{job.device} : devicesFor(options.device);
  std::vector<TrainingBenchmarkResult> results;
  for (const auto& device : devices)
    for (const auto& variant : options.variants) {
      IkanOptions networkOptions = IkanOptions::named(variant);
      networkOptions.inputSize = options.size;
      torch::manual_seed(0);
      IkanNetwork network(networkOptions);
      network->to(device);
      network->train();
      // The trainer gives the KAN layers their own learning rate; a second parameter group costs the
      // same per parameter, so one group times the same work.
      torch::optim::Adam optimizer(network->parameters(), torch::optim::AdamOptions(5e-4).betas({0.9, 0.999}).eps(1e-8));
      broadcastModuleState(context, *network);
      GradientAverager gradients(network->parameters(), context);

      const auto s = static_cast<int64_t>(options.size);
      // This rank's share of the global batch (all of it for one process).
      const auto input = normalizeForNetwork(torch::rand({options.batchSize, 1, s, s})).narrow(0, shard.begin, shard.count).to(device);
      const auto target = syntheticTargets(options.batchSize, s).narrow(0, shard.begin, shard.count).to(device);
      const auto weights = increasingRoundWeights(options.gradientRounds);
      std::vector<std::mt19937_64> random(static_cast<size_t>(shard.count));

      const auto step = [&](int noGradientRounds) {
        std::vector<ClickList> clicks(static_cast<size_t>(shard.count));
        auto previous = torch::zeros_like(target);
        addErrorClicks(clicks, previous, target, random);
        {
          torch::NoGradGuard noGrad;
          for (int r = 0; r < noGradientRounds; ++r) {
            previous = forwardProbability(network, input, previous, clicks);
            addErrorClicks(clicks, previous, target, random);
          }
        }
        std::vector<torch::Tensor> predictions;
        for (int t = 0; t < options.gradientRounds; ++t) {
          const auto probability = forwardProbability(network, input, previous.detach(), clicks);
          predictions.push_back(probability);
          previous = probability.detach();
          if (t + 1 < options.gradientRounds) addErrorClicks(clicks, previous, target, random);
        }
        const auto loss = iterationLoss(predictions, target, weights); // the iteration loss (soft_iou_loss.h)
        optimizer.zero_grad();
        loss.backward();
        gradients.average();
        optimizer.step();
        return loss.item<double>(); // the trainer reads the loss every step, which waits for the device
      };

      const int cycle = options.maxNoGradientRounds + 1;
      for (int i = 0; i < options.warmup; ++i) step(i % cycle);
      synchronize(device);
      context.barrier(); // the ranks start timing together
      int noGradientRoundsRun = 0;
      const auto start = std::chrono::steady_clock::now();
      for (int k = 0; k < options.steps; ++k) {
        step(k % cycle);
        noGradientRoundsRun += k % cycle;
      }
      synchronize(device);
      const double milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

      TrainingBenchmarkResult result;
      result.model = "ikan";
      result.variant = variant;
      result.device = device.str();
      result.size = options.size;
      result.batchSize = options.batchSize;
      result.gradientRounds = options.gradientRounds;
      result.meanNoGradientRounds = static_cast<double>(noGradientRoundsRun) / options.steps;
      for (const auto& p : network->parameters()) result.params += p.numel();
      result.msPerStep = milliseconds / options.steps;
      result.samplesPerSecond = options.batchSize * 1000.0 / result.msPerStep;
      result.processes = context.worldSize();
      results.push_back(result);
    }
  context.barrier();
  return results;
}

bool isMainBenchmarkProcess() { return readDistributedEnvironment().isMain(); }

std::string toJsonLine(const TrainingBenchmarkResult& r) {
  char numbers[256];
  std::snprintf(numbers, sizeof numbers,
                "\"size\":%d,\"batch\":%d,\"processes\":%d,\"gradient_rounds\":%d,\"no_gradient_rounds\":%.2f,\"params\":%lld,\"ms_per_step\":%.1f,"
                "\"samples_per_s\":%.3f",
                r.size, r.batchSize, r.processes, r.gradientRounds, r.meanNoGradientRounds, r.params, r.msPerStep, r.samplesPerSecond);
  return "{\"model\":" + json::quote(r.model) + ",\"variant\":" + json::quote(r.variant) + ",\"device\":" + json::quote(r.device) +
         ",\"mode\":\"train\"," + numbers + "}";
}

std::string toTextLine(const TrainingBenchmarkResult& r) {
  char line[256];
  std::snprintf(line, sizeof line,
                "%-5s %-6s %-7s %4dx%-4d train step, batch %d over %d process%s, %d+%.1f rounds  params %6.2f M  %7.1f ms/step  %7.2f samples/s",
                r.model.c_str(), r.variant.c_str(), r.device.c_str(), r.size, r.size, r.batchSize, r.processes, r.processes == 1 ? "" : "es",
                r.gradientRounds,
                r.meanNoGradientRounds, r.params / 1e6, r.msPerStep, r.samplesPerSecond);
  return line;
}

} // namespace medclick
