#include "runtime/cpu_tuning.h"

#include <torch/torch.h>

#include <cstdlib>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace medclick {

void tuneCpuRuntime(int threads) {
#if defined(__GLIBC__)
  static const bool allocatorTuned = [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20); // the largest value glibc accepts on 64-bit
    // 3D activations are larger still (8 channels of a 96x128x128 patch: 50 MB): above the threshold
    // every one would be a fresh mapping whose page faults cost more than the layer (CAISeg slim
    // forward 3.6 s -> 1.9 s without them). Serve them from the heap too; the trim threshold still
    // hands memory back beyond 256 MB of free top.
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    return true;
  }();
  (void)allocatorTuned;
#endif
  if (threads <= 0) { // OpenMP's own variable, when set, says how many cores this process may take
    const char* omp = std::getenv("OMP_NUM_THREADS");
    threads = omp ? std::atoi(omp) : 0;
  }
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  torch::set_num_threads(threads > 0 ? threads : (cores > 0 ? cores : 1));
}

} // namespace medclick
