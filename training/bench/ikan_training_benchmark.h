#pragma once
// What `medclick-cli bench --train` and `medclick-bench --train` print: the speed of one IKAN
// training step as the trainer runs it — the first click, the click rounds without gradient, the
// rounds with gradient and their eq. (1) loss, backward, Adam — on synthetic tensors of the real
// input size. Torch-free, so the CLI includes it cheaply.

#include <string>
#include <vector>

namespace medclick {

struct TrainingBenchmarkResult {
  std::string model, variant, device;
  int size = 0, batchSize = 0;
  int gradientRounds = 0;
  double meanNoGradientRounds = 0; // over the timed steps
  long long params = 0;
  double msPerStep = 0;            // mean over the timed steps
  double samplesPerSecond = 0;     // batchSize / msPerStep
  int processes = 1;               // ranks of a data-parallel step (batchSize is the global batch)
};

struct TrainingBenchmarkOptions {
  std::vector<std::string> variants{"small", "paper"};
  int size = 256;            // network resolution, and the side of the synthetic images
  int batchSize = 4;
  int gradientRounds = 3;    // the trainer's default
  int maxNoGradientRounds = 3;
  int warmup = 2;
  int steps = 8;             // timed steps; step k runs k mod (maxNoGradientRounds + 1) rounds without
                             // gradient, so a multiple of maxNoGradientRounds + 1 averages the
                             // trainer's uniform draw exactly
  std::string device = "auto"; // auto: the CPU, and CUDA too when LibTorch sees it; or cpu, cuda, cuda:N
  int threads = 0;
  // As one rank of a data-parallel job described by torchrun's variables (one device, the batch split
  // over the ranks, gradients averaged, BatchNorm synchronised): the trainer's step as it scales.
  bool distributedFromEnvironment = false;
};

// In a data-parallel job every rank returns the results; rank 0 is the one to print them.
std::vector<TrainingBenchmarkResult> benchmarkIkanTraining(const TrainingBenchmarkOptions& options);
bool isMainBenchmarkProcess();

// keys: model variant device size batch processes gradient_rounds no_gradient_rounds params ms_per_step samples_per_s
std::string toJsonLine(const TrainingBenchmarkResult& result);
std::string toTextLine(const TrainingBenchmarkResult& result);

} // namespace medclick
