#include "distributed/gradient_averager.h"

namespace medclick {

GradientAverager::GradientAverager(std::vector<torch::Tensor> parameters, DistributedContext& context, size_t bucketBytes)
    : parameters_(std::move(parameters)), context_(context) {
  size_t filled = 0;
  for (size_t i = 0; i < parameters_.size(); ++i) {
    const auto& p = parameters_[i];
    const size_t bytes = static_cast<size_t>(p.numel()) * p.element_size();
    const bool fits = !buckets_.empty() && filled + bytes <= bucketBytes &&
                      parameters_[buckets_.back().front()].scalar_type() == p.scalar_type() &&
                      parameters_[buckets_.back().front()].device() == p.device();
    if (!fits) {
      buckets_.emplace_back();
      filled = 0;
    }
    buckets_.back().push_back(i);
    filled += bytes;
  }
}

void GradientAverager::average() {
  if (!context_.distributed()) return;
  torch::NoGradGuard noGrad;
  std::vector<torch::Tensor> flat;
  for (const auto& bucket : buckets_) {
    std::vector<torch::Tensor> pieces;
    for (const auto i : bucket) {
      const auto& p = parameters_[i];
      pieces.push_back(p.grad().defined() ? p.grad().reshape({-1}) : torch::zeros({p.numel()}, p.options()));
    }
    flat.push_back(torch::cat(pieces));
  }
  context_.allReduceSum(flat); // one call, one collective per bucket
  const double scale = 1.0 / static_cast<double>(context_.worldSize());
  for (size_t k = 0; k < buckets_.size(); ++k) {
    int64_t offset = 0;
    for (const auto i : buckets_[k]) {
      auto& p = parameters_[i];
      const auto n = p.numel();
      if (p.grad().defined()) p.mutable_grad().copy_(flat[k].narrow(0, offset, n).view_as(p).mul(scale));
      offset += n;
    }
  }
}

} // namespace medclick
