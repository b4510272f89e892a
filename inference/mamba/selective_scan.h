#pragma once
// The selective state-space scan of Mamba (Gu & Dao 2023), as VMamba's SS2D runs it per scan order.
// For every batch b and channel d, with a state h of N values per channel:
//   Δ_t = softplus(Δraw_t + Δbias)                         (input-dependent step)
//   h_t = exp(Δ_t·A) ⊙ h_{t−1} + Δ_t·B_t·x_t,   h_{−1} = 0    (A = −exp(A_log) < 0: a decay)
//   y_t = ⟨C_t, h_t⟩ + D·x_t
// B_t and C_t are shared by the channels of a group (VMamba: one group per scan order).
//
// Three forms of the same recurrence:
//   selectiveScanReference  step by step with tensor ops: the definition, for tests
//   selectiveScanCpu        a plain C++ kernel over the tensor data, parallel over batch × channels,
//                           with a hand-written backward (a torch::autograd::Function): CPU training
//                           and inference
//   selectiveScanChunked    chunks of length T scanned in parallel, then the chunk-start states
//                           propagated: O(T + L/T) sequential tensor ops instead of L; differentiable by
//                           autograd and runs on CUDA

#include <torch/torch.h>

namespace medclick {

struct SelectiveScanInputs {
  torch::Tensor u;         // [B, D, L]     x_t, one sequence per channel
  torch::Tensor delta;     // [B, D, L]     Δ before the bias and the softplus
  torch::Tensor A;         // [D, N]        negative
  torch::Tensor B;         // [B, G, N, L]  G divides D: channel d uses group d / (D / G)
  torch::Tensor C;         // [B, G, N, L]
  torch::Tensor D;         // [D]
  torch::Tensor deltaBias; // [D]
  bool deltaSoftplus = true;
};

enum class ScanKernel {
  Auto,      // the CPU kernel for CPU tensors, the chunked form elsewhere
  Reference,
  Cpu,
  Chunked,
};

// y: [B, D, L], in the dtype of u.
torch::Tensor selectiveScanReference(const SelectiveScanInputs& in);
torch::Tensor selectiveScanCpu(const SelectiveScanInputs& in);
// chunkLength 0: ⌈√L⌉, which balances the two sequential loops.
torch::Tensor selectiveScanChunked(const SelectiveScanInputs& in, int64_t chunkLength = 0);
torch::Tensor selectiveScan(const SelectiveScanInputs& in, ScanKernel kernel = ScanKernel::Auto);

// Throws std::invalid_argument naming the first tensor whose shape does not fit the others.
void checkSelectiveScanInputs(const SelectiveScanInputs& in);

} // namespace medclick
