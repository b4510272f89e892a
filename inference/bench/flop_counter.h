#pragma once
// Counts the floating-point operations of convolutions and matrix products while it is alive, on
// the calling thread, by watching LibTorch's dispatcher (aten::convolution, mm, addmm, bmm). A
// multiply-add counts as 2. This is the "conv+matmul GFLOP" of ../shared/FACTS.md.

#include <ATen/record_function.h>

#include <cstdint>

namespace medclick {

class FlopCounter {
public:
  FlopCounter();
  ~FlopCounter();
  FlopCounter(const FlopCounter&) = delete;
  FlopCounter& operator=(const FlopCounter&) = delete;

  double flops() const;

private:
  at::CallbackHandle handle_;
};

} // namespace medclick
