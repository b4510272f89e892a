#pragma once
// Batch normalisation that data-parallel training can synchronise. In evaluation it is torch's
// BatchNorm. In training it computes the batch statistics itself (two passes); while a statistics
// reducer is installed (training/distributed does so for multi-process jobs) they are the mean and
// variance over the whole global batch — every process's share — as PyTorch's SyncBatchNorm
// computes them, so N processes with B/N samples each train the same network as one process with
// B samples. Parameter and buffer names are torch's (weight, bias, running_mean,
// running_var, num_batches_tracked), so weights files do not change.

#include <torch/torch.h>

#include <functional>

namespace medclick {

// Sums a tensor over every process, in place. Empty: statistics stay per process.
using BatchStatisticsReducer = std::function<void(torch::Tensor&)>;

// Process-wide; set it before training starts and clear it after (not while a forward runs).
void setBatchStatisticsReducer(BatchStatisticsReducer reducer);
bool hasBatchStatisticsReducer();

// The reducer as an autograd op: forward sums over processes, backward sums the gradients over
// processes (a sum's adjoint is a sum), so gradients flow through the global statistics to every
// process's samples. Without a reducer: the identity.
torch::Tensor sumOverProcesses(const torch::Tensor& local);

struct BatchNormSettings {
  int64_t channels = 0;
  double eps = 1e-5;
  double momentum = 0.1; // running = (1 − momentum)·running + momentum·batch statistic (torch's)
};

// For inputs [B, C, ...] of any spatial rank (2D images, 3D volumes).
class BatchNormImpl : public torch::nn::Module {
public:
  explicit BatchNormImpl(int64_t channels);
  explicit BatchNormImpl(const BatchNormSettings& settings);
  torch::Tensor forward(const torch::Tensor& x);
  void pretty_print(std::ostream& stream) const override;

  BatchNormSettings settings;
  torch::Tensor weight, bias, running_mean, running_var, num_batches_tracked;

private:
  torch::Tensor trainingForward(const torch::Tensor& x);
};
TORCH_MODULE(BatchNorm);

} // namespace medclick
