#pragma once
// What `bench --model kmunet|kanunet` would print for the automatic segmenters (no clicks): per
// variant the parameters, conv+matmul GFLOPs, and the median / p90 time of one forward pass with
// the sigmoid on a synthetic square image, after warm-up. Same result lines as IKAN's benchmark.
// KM-UNet variants: small, paper, small++, paper++ (KM-UNet++); KANU-Net: small, paper.

#include "inference/bench/ikan_benchmark.h"

#include <string>
#include <vector>

namespace medclick {

std::vector<BenchmarkResult> benchmarkKmUnet(const BenchmarkOptions& options);
std::vector<BenchmarkResult> benchmarkKanUnet(const BenchmarkOptions& options);

} // namespace medclick
