#include "clicks/simulated_automatic_mask.h"

#include <algorithm>
#include <stdexcept>

namespace medclick {

namespace F = torch::nn::functional;

namespace {

// Grows (radius > 0) or shrinks (radius < 0) a 0/1 map [1, 1, H, W] with a square structuring element.
torch::Tensor growOrShrink(const torch::Tensor& mask, int radius) {
  if (radius == 0) return mask;
  const auto pool = F::MaxPool2dFuncOptions(2 * std::abs(radius) + 1).stride(1).padding(std::abs(radius));
  return radius > 0 ? F::max_pool2d(mask, pool) : 1.0 - F::max_pool2d(1.0 - mask, pool);
}

// Moves a map by (dy, dx) pixels; what enters from the border is background.
torch::Tensor shifted(const torch::Tensor& map, int64_t dy, int64_t dx) {
  const auto height = map.size(2), width = map.size(3);
  const auto padded = F::pad(map, F::PadFuncOptions({std::max<int64_t>(dx, 0), std::max<int64_t>(-dx, 0), std::max<int64_t>(dy, 0),
                                                     std::max<int64_t>(-dy, 0)}));
  return padded.narrow(2, std::max<int64_t>(-dy, 0), height).narrow(3, std::max<int64_t>(-dx, 0), width);
}

// A filled ellipse [1, 1, H, W] of radii (ry, rx) centred at (cy, cx).
torch::Tensor ellipse(int64_t height, int64_t width, double cy, double cx, double ry, double rx, const torch::TensorOptions& options) {
  const auto y = torch::arange(height, options).view({1, 1, height, 1});
  const auto x = torch::arange(width, options).view({1, 1, 1, width});
  return ((y - cy) / ry).square().add(((x - cx) / rx).square()).le(1.0).to(options.dtype());
}

} // namespace

torch::Tensor simulatedAutomaticProbability(const torch::Tensor& target, std::vector<std::mt19937_64>& random,
                                            const SimulatedAutomaticMaskOptions& o) {
  if (target.dim() != 4 || target.size(1) != 1) throw std::invalid_argument("simulatedAutomaticProbability: target must be [B, 1, H, W]");
  if (static_cast<int64_t>(random.size()) != target.size(0))
    throw std::invalid_argument("simulatedAutomaticProbability: one random stream per sample is needed");
  const auto height = target.size(2), width = target.size(3);
  const auto options = target.options().dtype(torch::kFloat32);
  const auto uniform = [](std::mt19937_64& r, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(r); };
  std::vector<torch::Tensor> maps;
  for (int64_t b = 0; b < target.size(0); ++b) {
    auto& r = random[static_cast<size_t>(b)];
    auto map = target[b].unsqueeze(0).eq(1).to(torch::kFloat32);
    if (uniform(r, 0, 1) < o.missedObjectProbability) {
      map = torch::zeros_like(map);
    } else {
      map = growOrShrink(map, std::uniform_int_distribution<int>(-o.maxBoundaryShift, o.maxBoundaryShift)(r));
      const auto maxOffset = static_cast<int64_t>(o.maxOffsetFraction * static_cast<double>(std::min(height, width)));
      map = shifted(map, std::uniform_int_distribution<int64_t>(-maxOffset, maxOffset)(r),
                    std::uniform_int_distribution<int64_t>(-maxOffset, maxOffset)(r));
      if (uniform(r, 0, 1) < o.missedPartProbability) {
        const auto size = static_cast<double>(std::min(height, width));
        map = map * (1.0 - ellipse(height, width, uniform(r, 0, height), uniform(r, 0, width), uniform(r, size / 12, size / 5),
                                   uniform(r, size / 12, size / 5), options));
      }
    }
    if (uniform(r, 0, 1) < o.falseAlarmProbability) {
      const auto size = static_cast<double>(std::min(height, width));
      map = torch::maximum(map, ellipse(height, width, uniform(r, 0, height), uniform(r, 0, width), uniform(r, size / 16, size / 6),
                                        uniform(r, size / 16, size / 6), options));
    }
    // A network's output is soft at the boundary and rarely certain: blur, then scale.
    const int blur = std::uniform_int_distribution<int>(1, std::max(1, o.maxBlurRadius))(r);
    const auto average = F::AvgPool2dFuncOptions(2 * blur + 1).stride(1).padding(blur).count_include_pad(false);
    map = F::avg_pool2d(F::avg_pool2d(map, average), average) * uniform(r, o.minConfidence, 1.0);
    maps.push_back(map);
  }
  return torch::cat(maps, 0).clamp(0.0, 1.0);
}

} // namespace medclick
