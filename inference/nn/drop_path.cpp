#include "nn/drop_path.h"

#include <stdexcept>
#include <string>

namespace medclick {

namespace {

GlobalBatchShare& installedShare() {
  static GlobalBatchShare share;
  return share;
}

} // namespace

void setGlobalBatchShare(const GlobalBatchShare& share) { installedShare() = share; }

GlobalBatchShare globalBatchShare() { return installedShare(); }

torch::Tensor dropPath(const torch::Tensor& x, double probability, bool training) {
  if (!training || probability <= 0.0) return x;
  const auto share = installedShare();
  const int64_t batch = x.size(0);
  const int64_t total = share.globalBatch > 0 ? share.globalBatch : batch;
  const int64_t begin = share.globalBatch > 0 ? share.begin : 0;
  if (begin < 0 || begin + batch > total)
    throw std::invalid_argument("dropPath: this process's " + std::to_string(batch) + " samples do not fit the global batch of " +
                                std::to_string(total) + " at " + std::to_string(begin));
  std::vector<int64_t> shape(static_cast<size_t>(x.dim()), 1);
  shape[0] = batch;
  const auto keep = torch::empty({total}, x.options()).bernoulli_(1.0 - probability).narrow(0, begin, batch).view(shape);
  return x * keep / (1.0 - probability);
}

} // namespace medclick
