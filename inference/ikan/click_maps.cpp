#include "inference/ikan/click_maps.h"

namespace medclick {

torch::Tensor clickDiskMaps(const ClickList& clicks, int64_t height, int64_t width, double radius,
                            const torch::TensorOptions& options) {
  const auto floatOptions = options.dtype(torch::kFloat32);
  auto maps = torch::zeros({2, height, width}, floatOptions);
  if (clicks.empty()) return maps;
  const auto rows = torch::arange(height, floatOptions).view({1, height, 1});
  const auto cols = torch::arange(width, floatOptions).view({1, 1, width});
  for (int label = 0; label < 2; ++label) {
    std::vector<float> ys, xs;
    for (const Click& c : clicks)
      if (c.positive == (label == 0)) {
        ys.push_back(static_cast<float>(c.y));
        xs.push_back(static_cast<float>(c.x));
      }
    if (ys.empty()) continue;
    const auto n = static_cast<int64_t>(ys.size());
    const auto y = torch::tensor(ys).to(floatOptions.device()).view({n, 1, 1});
    const auto x = torch::tensor(xs).to(floatOptions.device()).view({n, 1, 1});
    const auto nearest = ((rows - y).square() + (cols - x).square()).amin(0);
    maps[label] = (nearest <= radius * radius).to(torch::kFloat32);
  }
  return maps;
}

} // namespace medclick
