#include "nn/batch_norm.h"

#include <stdexcept>
#include <utility>

namespace medclick {

namespace {

BatchStatisticsReducer& installedReducer() {
  static BatchStatisticsReducer reducer;
  return reducer;
}

class SumOverProcesses : public torch::autograd::Function<SumOverProcesses> {
public:
  static torch::Tensor forward(torch::autograd::AutogradContext*, const torch::Tensor& local) {
    auto total = local.clone();
    installedReducer()(total);
    return total;
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext*, torch::autograd::variable_list gradients) {
    auto total = gradients[0].contiguous().clone();
    installedReducer()(total);
    return {total};
  }
};

} // namespace

void setBatchStatisticsReducer(BatchStatisticsReducer reducer) { installedReducer() = std::move(reducer); }

bool hasBatchStatisticsReducer() { return static_cast<bool>(installedReducer()); }

torch::Tensor sumOverProcesses(const torch::Tensor& local) {
  if (!hasBatchStatisticsReducer()) return local;
  return SumOverProcesses::apply(local);
}

BatchNormImpl::BatchNormImpl(int64_t channels) : BatchNormImpl(BatchNormSettings{channels}) {}

BatchNormImpl::BatchNormImpl(const BatchNormSettings& s) : settings(s) {
  if (s.channels <= 0) throw std::invalid_argument("BatchNorm: channels must be positive");
  weight = register_parameter("weight", torch::ones({s.channels}));
  bias = register_parameter("bias", torch::zeros({s.channels}));
  running_mean = register_buffer("running_mean", torch::zeros({s.channels}));
  running_var = register_buffer("running_var", torch::ones({s.channels}));
  num_batches_tracked = register_buffer("num_batches_tracked", torch::tensor(0, torch::kLong));
}

torch::Tensor BatchNormImpl::forward(const torch::Tensor& x) {
  if (x.dim() < 2 || x.size(1) != settings.channels)
    throw std::invalid_argument("BatchNorm: expected [B, " + std::to_string(settings.channels) + ", ...], got " + std::to_string(x.dim()) +
                                " dimensions");
  // Training always takes the explicit path, with or without other processes, so one process and
  // N processes compute the same numbers (and torch's fused CPU kernel loses up to 1e-3 relative
  // precision on channels-last inputs with a large mean, which the two-pass sums here do not).
  if (is_training()) return trainingForward(x);
  return torch::batch_norm(x, weight, bias, running_mean, running_var, false, settings.momentum, settings.eps,
                           at::globalContext().userEnabledCuDNN());
}

// Two passes, each summed over processes: the global mean first, then the global sum of squared
// deviations from it (no E[x²] − E[x]² cancellation).
torch::Tensor BatchNormImpl::trainingForward(const torch::Tensor& x) {
  std::vector<int64_t> reduced{0};
  for (int64_t d = 2; d < x.dim(); ++d) reduced.push_back(d);
  std::vector<int64_t> perChannel(static_cast<size_t>(x.dim()), 1);
  perChannel[1] = settings.channels;

  const double localCount = static_cast<double>(x.numel() / settings.channels);
  const auto sumsAndCount = sumOverProcesses(torch::cat({x.sum(reduced), torch::full({1}, localCount, x.options())}));
  const auto count = sumsAndCount[settings.channels].item<double>();
  if (count < 2) throw std::invalid_argument("BatchNorm: training needs more than one value per channel over all processes");
  const auto mean = sumsAndCount.narrow(0, 0, settings.channels) / count;
  const auto centred = x - mean.view(perChannel);
  const auto variance = sumOverProcesses(centred.pow(2).sum(reduced)) / count; // biased, as normalisation uses
  {
    torch::NoGradGuard noGrad;
    running_mean.mul_(1.0 - settings.momentum).add_(mean.detach(), settings.momentum);
    running_var.mul_(1.0 - settings.momentum).add_(variance.detach() * (count / (count - 1.0)), settings.momentum); // unbiased
    num_batches_tracked.add_(1);
  }
  return centred * torch::rsqrt(variance + settings.eps).view(perChannel) * weight.view(perChannel) + bias.view(perChannel);
}

void BatchNormImpl::pretty_print(std::ostream& stream) const {
  stream << "medclick::BatchNorm(" << settings.channels << ", eps=" << settings.eps << ", momentum=" << settings.momentum << ")";
}

} // namespace medclick
