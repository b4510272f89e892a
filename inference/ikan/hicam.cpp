#include "inference/ikan/hicam.h"

#include "nn/channels_last.h"

namespace medclick {

namespace nn = torch::nn;

InceptionImpl::InceptionImpl(int64_t in, int64_t branch) {
  branch1x1 = register_module("branch1x1", convBnRelu(in, branch, 1));
  branch3x3 = register_module("branch3x3", convBnRelu(in, branch, 3));
  branch5x5 = register_module("branch5x5", convBnRelu(in, branch, 5));
  branch_pool = register_module("branch_pool", nn::Sequential(nn::MaxPool2d(nn::MaxPool2dOptions(3).stride(1).padding(1))));
  branch_pool->extend(*convBnRelu(in, branch, 1));
}

torch::Tensor InceptionImpl::forward(const torch::Tensor& x) {
  return concatenateChannels({branch1x1->forward(x), branch3x3->forward(x), branch5x5->forward(x), branch_pool->forward(x)});
}

HicamImpl::HicamImpl(const HicamOptions& options) : branchChannels_(options.branchChannels) {
  cam_init = register_module("cam_init", SqueezeExcitation(options.inChannels, options.reduction));
  inception = register_module("inception", Inception(options.inChannels, options.branchChannels));
  cam_final = register_module("cam_final", SqueezeExcitation(4 * options.branchChannels, options.reduction));
}

torch::Tensor HicamImpl::forward(const torch::Tensor& x) {
  return cam_final(inception(cam_init(x))); // IKAN eq. (2)
}

} // namespace medclick
