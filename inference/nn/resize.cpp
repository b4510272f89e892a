#include "nn/resize.h"

namespace medclick {

torch::Tensor resizeBilinear(const torch::Tensor& x, int64_t height, int64_t width, bool antialias) {
  namespace F = torch::nn::functional;
  return F::interpolate(x, F::InterpolateFuncOptions()
                               .size(std::vector<int64_t>{height, width})
                               .mode(torch::kBilinear)
                               .align_corners(false)
                               .antialias(antialias));
}

} // namespace medclick
