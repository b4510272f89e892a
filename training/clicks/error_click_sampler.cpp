#include "clicks/error_click_sampler.h"

#include <stdexcept>

namespace medclick {

namespace F = torch::nn::functional;

torch::Tensor erosionDepth(const torch::Tensor& mask, int maxDepth) {
  auto current = mask.to(torch::kFloat32);
  auto depth = current.clone();
  for (int i = 1; i < maxDepth; ++i) {
    // Erosion = −maxpool(−x), with zero padding so the image border erodes too.
    const auto padded = F::pad(current, F::PadFuncOptions({1, 1, 1, 1}).value(0.0));
    current = -F::max_pool2d(-padded, F::MaxPool2dFuncOptions(3).stride(1));
    if (current.max().item<float>() == 0.0f) break;
    depth += current;
  }
  return depth;
}

std::vector<std::optional<Click>> nextErrorClicks(const torch::Tensor& prediction, const torch::Tensor& target,
                                                  std::vector<std::mt19937_64>* randomTies, int maxDepth) {
  if (randomTies && static_cast<int64_t>(randomTies->size()) != target.size(0))
    throw std::invalid_argument("nextErrorClicks: one random stream per sample is needed");
  const auto object = target.eq(1), background = target.eq(0);
  const auto missed = object.logical_and(prediction.logical_not());
  const auto falseAlarm = background.logical_and(prediction);
  const auto depths = erosionDepth(torch::cat({missed, falseAlarm}, 1), maxDepth).to(torch::kCPU); // [B, 2, H, W]
  const auto width = target.size(3);
  std::vector<std::optional<Click>> clicks;
  for (int64_t b = 0; b < depths.size(0); ++b) {
    const auto fnDeepest = depths[b][0].max().item<float>();
    const auto fpDeepest = depths[b][1].max().item<float>();
    if (fnDeepest == 0.0f && fpDeepest == 0.0f) {
      clicks.emplace_back(std::nullopt);
      continue;
    }
    const bool positive = fnDeepest >= fpDeepest;
    const auto map = depths[b][positive ? 0 : 1].flatten();
    const auto deepest = (map == (positive ? fnDeepest : fpDeepest)).nonzero().flatten();
    int64_t pick = 0;
    if (randomTies) pick = std::uniform_int_distribution<int64_t>(0, deepest.size(0) - 1)((*randomTies)[static_cast<size_t>(b)]);
    const auto index = deepest[pick].item<int64_t>();
    clicks.emplace_back(Click{static_cast<double>(index % width), static_cast<double>(index / width), positive});
  }
  return clicks;
}

} // namespace medclick
