// medclick-bench: the benchmark in the LibTorch-only configuration (e.g. on a CUDA machine), the same
// code and output as `medclick-cli bench`.
//   medclick-bench [--size N] [--repeat N] [--device auto|cpu|cuda] [--variant small|paper] [--json]

#include "bench/ikan_benchmark.h"

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <stdexcept>

int main(int argc, char** argv) {
  medclick::BenchmarkOptions options;
  bool json = false;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      const auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
        return argv[++i];
      };
      if (arg == "--size") options.size = std::stoi(value());
      else if (arg == "--repeat") options.repeat = std::stoi(value());
      else if (arg == "--device") options.device = value();
      else if (arg == "--threads") options.threads = std::stoi(value());
      else if (arg == "--variant") options.variants = {value()};
      else if (arg == "--json") json = true;
      else throw std::invalid_argument("unknown option " + arg);
    }
    for (const auto& result : medclick::benchmarkIkan(options))
      std::cout << (json ? medclick::toJsonLine(result) : medclick::toTextLine(result)) << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "medclick-bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
