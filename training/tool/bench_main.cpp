// medclick-bench: the benchmark in the LibTorch-only configuration (e.g. on a CUDA machine), the same
// code and output as `medclick-cli bench`.
//   medclick-bench [--size N] [--repeat N] [--device auto|cpu|cuda] [--variant small|paper] [--json]
//   medclick-bench --train [--batch 4] ...   one training step (training/bench) instead of one click
//   medclick-bench --model caiseg [--variant slim|paper] [--patch 96x128x128] [--anisotropic] ...
//                                            CAISeg: full forward and reuse-features refinement, seconds
//   medclick-bench --model kmunet|kanunet [--variant small|paper|small++|paper++]
//                                            the automatic segmenters: one forward pass, no clicks

#include "inference/bench/caiseg_benchmark.h"
#include "inference/bench/ikan_benchmark.h"
#include "training/bench/ikan_training_benchmark.h"
#include "kmunet/segmenter_benchmark.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <stdexcept>

int main(int argc, char** argv) {
  medclick::BenchmarkOptions options;
  medclick::TrainingBenchmarkOptions trainingOptions;
  bool json = false, train = false, repeatGiven = false;
  medclick::CaisegBenchmarkOptions caisegOptions;
  std::string model = "ikan";
  bool variantGiven = false;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      const auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
        return argv[++i];
      };
      if (arg == "--size") options.size = std::stoi(value());
      else if (arg == "--repeat") options.repeat = std::stoi(value()), repeatGiven = true;
      else if (arg == "--device") options.device = value();
      else if (arg == "--threads") options.threads = std::stoi(value());
      else if (arg == "--variant") options.variants = {value()}, variantGiven = true;
      else if (arg == "--model") model = value();
      else if (arg == "--patch") {
        const auto text = value();
        if (std::sscanf(text.c_str(), "%dx%dx%d", &caisegOptions.patch[0], &caisegOptions.patch[1], &caisegOptions.patch[2]) != 3)
          throw std::invalid_argument("--patch needs DxHxW, e.g. 96x128x128");
      } else if (arg == "--anisotropic") caisegOptions.anisotropic = true;
      else if (arg == "--batch") trainingOptions.batchSize = std::stoi(value());
      else if (arg == "--train") train = true;
      else if (arg == "--json") json = true;
      else throw std::invalid_argument("unknown option " + arg);
    }
    if (model == "caiseg") {
      if (variantGiven) caisegOptions.variants = options.variants;
      if (repeatGiven) caisegOptions.repeat = options.repeat;
      caisegOptions.device = options.device;
      caisegOptions.threads = options.threads;
      for (const auto& result : medclick::benchmarkCaiseg(caisegOptions))
        std::cout << (json ? medclick::toJsonLine(result) : medclick::toTextLine(result)) << std::endl;
      return 0;
    }
    if (model == "kmunet" || model == "kanunet") {
      for (const auto& result : model == "kmunet" ? medclick::benchmarkKmUnet(options) : medclick::benchmarkKanUnet(options))
        std::cout << (json ? medclick::toJsonLine(result) : medclick::toTextLine(result)) << std::endl;
      return 0;
    }
    if (model != "ikan") throw std::invalid_argument("unknown model " + model + " (use ikan, caiseg, kmunet or kanunet)");
    if (train) {
      trainingOptions.size = options.size;
      trainingOptions.device = options.device;
      trainingOptions.threads = options.threads;
      trainingOptions.variants = options.variants;
      if (repeatGiven) trainingOptions.steps = options.repeat; // a training step is slow: its own default
      for (const auto& result : medclick::benchmarkIkanTraining(trainingOptions))
        std::cout << (json ? medclick::toJsonLine(result) : medclick::toTextLine(result)) << std::endl;
      return 0;
    }
    for (const auto& result : medclick::benchmarkIkan(options))
      std::cout << (json ? medclick::toJsonLine(result) : medclick::toTextLine(result)) << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "medclick-bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
