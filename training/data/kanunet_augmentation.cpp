#include "training/data/kanunet_augmentation.h"

#include <cmath>

namespace medclick {

torch::Tensor shiftWithZeros(const torch::Tensor& x, int64_t dy, int64_t dx) {
  const int64_t height = x.size(-2), width = x.size(-1);
  auto shifted = torch::zeros_like(x);
  if (std::abs(dy) >= height || std::abs(dx) >= width) return shifted;
  const int64_t rows = height - std::abs(dy), columns = width - std::abs(dx);
  shifted.narrow(-2, std::max<int64_t>(dy, 0), rows)
      .narrow(-1, std::max<int64_t>(dx, 0), columns)
      .copy_(x.narrow(-2, std::max<int64_t>(-dy, 0), rows).narrow(-1, std::max<int64_t>(-dx, 0), columns));
  return shifted;
}

SliceBatch augmentSlices(const torch::Tensor& images, const torch::Tensor& masks, const SliceAugmentationOptions& options,
                         std::vector<std::mt19937_64>& random) {
  std::vector<torch::Tensor> outImages, outMasks;
  for (int64_t b = 0; b < images.size(0); ++b) {
    auto& r = random[static_cast<size_t>(b)];
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    auto image = images[b], mask = masks[b];
    if (unit(r) < options.rotationProbability) {
      const int64_t quarterTurns = std::uniform_int_distribution<int64_t>(1, 3)(r);
      image = torch::rot90(image, quarterTurns, {1, 2});
      mask = torch::rot90(mask, quarterTurns, {1, 2});
    }
    if (unit(r) < options.shiftProbability) {
      const auto limit = static_cast<int64_t>(std::floor(options.maxShift * static_cast<double>(image.size(-1))));
      std::uniform_int_distribution<int64_t> shift(-limit, limit);
      const int64_t dy = shift(r), dx = shift(r);
      image = shiftWithZeros(image, dy, dx);
      mask = shiftWithZeros(mask, dy, dx);
    }
    outImages.push_back(image.contiguous());
    outMasks.push_back(mask.contiguous());
  }
  return {torch::stack(outImages), torch::stack(outMasks)};
}

} // namespace medclick
