#pragma once
// Process-wide settings that decide CPU inference speed, applied once by the engines, the trainer
// and the benchmark:
// - every core: LibTorch starts with one intra-op thread per physical core, which is 1 on a 2-vCPU
//   machine; all logical cores give U-KAN-like networks ~1.9× here;
// - glibc's allocator keeps freed buffers up to 32 MiB instead of returning them to the kernel:
//   otherwise each forward pass maps and faults in fresh zeroed pages for every full-resolution
//   activation, which measured 45 → 88 ms (small IKAN) and 79 → 265 ms (paper IKAN) per click.

namespace medclick {

// threads <= 0: OMP_NUM_THREADS when it is set (e.g. beside a training job), else all logical cores.
// Idempotent.
void tuneCpuRuntime(int threads = 0);

} // namespace medclick
