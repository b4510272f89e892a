#include "runtime/cpu_tuning.h"

#include <torch/torch.h>

#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace medclick {

void tuneCpuRuntime(int threads) {
#if defined(__GLIBC__)
  static const bool allocatorTuned = [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20); // the largest value glibc accepts on 64-bit
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    return true;
  }();
  (void)allocatorTuned;
#endif
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  torch::set_num_threads(threads > 0 ? threads : (cores > 0 ? cores : 1));
}

} // namespace medclick
