#pragma once
// IKAN's Hierarchical Inception and Channel Attention Module, IKAN eq. (2):
//   Z = CAM_final(Inc(CAM_init(X))),  X = [X_image, X_coord, X_prev]
// CAM is squeeze-and-excitation over the channels (it learns how much each input type counts);
// Inc runs 1×1, 3×3, 5×5 and max-pooled branches in parallel and concatenates them.

#include "nn/conv_blocks.h"

#include <torch/torch.h>

namespace medclick {

struct HicamOptions {
  int64_t inChannels = 6;      // 3 image + 2 click maps + 1 previous probability
  int64_t branchChannels = 8;  // per inception branch; the output has 4× this
  int64_t reduction = 2;       // squeeze ratio of the CAMs
};

class InceptionImpl : public torch::nn::Module {
public:
  InceptionImpl(int64_t in, int64_t branch);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Sequential branch1x1{nullptr}, branch3x3{nullptr}, branch5x5{nullptr}, branch_pool{nullptr};
};
TORCH_MODULE(Inception);

class HicamImpl : public torch::nn::Module {
public:
  explicit HicamImpl(const HicamOptions& options);
  torch::Tensor forward(const torch::Tensor& x);
  int64_t outChannels() const { return 4 * branchChannels_; }

  SqueezeExcitation cam_init{nullptr};
  Inception inception{nullptr};
  SqueezeExcitation cam_final{nullptr};

private:
  int64_t branchChannels_;
};
TORCH_MODULE(Hicam);

} // namespace medclick
