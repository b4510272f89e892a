#include "inference/ikan/side_branch.h"

namespace medclick {

SideBranchImpl::SideBranchImpl(int64_t inChannels, const std::array<int64_t, 4>& widths, int64_t outChannels) {
  stem = register_module("stem", convBnRelu(inChannels, widths[0], 3, 2));
  stages = register_module("stages", torch::nn::Sequential(BasicBlock(widths[0], widths[1], 2), BasicBlock(widths[1], widths[2], 2),
                                                           BasicBlock(widths[2], widths[3], 2), BasicBlock(widths[3], outChannels, 2)));
}

torch::Tensor SideBranchImpl::forward(const torch::Tensor& x) { return stages->forward(stem->forward(x)); }

} // namespace medclick
