#include "inference/ikan/modulation.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace medclick {

double ModulationOptions::scaleFor(int64_t height, int64_t width) const {
  return static_cast<double>(std::min(height, width)) / referenceSize;
}

double modulationRadius(const Click& u, const ClickList& earlier, double rMin, double rMax) {
  double nearest = std::numeric_limits<double>::infinity();
  for (const Click& v : earlier)
    if (v.positive != u.positive) nearest = std::min(nearest, std::hypot(u.x - v.x, u.y - v.y));
  if (!std::isfinite(nearest)) return rMax; // no opposite click yet: the widest radius
  return std::min(rMax, std::max(rMin, 0.5 * nearest)); // IKAN eq. (3)
}

torch::Tensor linearModulationMask(int64_t height, int64_t width, const Click& u, double radius, double alpha,
                                   const torch::TensorOptions& options) {
  const auto floatOptions = options.dtype(torch::kFloat32);
  const auto rows = torch::arange(height, floatOptions).view({height, 1});
  const auto cols = torch::arange(width, floatOptions).view({1, width});
  const auto distance = torch::sqrt((rows - u.y).square() + (cols - u.x).square());
  return (alpha * (1.0 - distance / radius)).clamp_min(0.0); // IKAN eq. (4): zero beyond R
}

torch::Tensor modulateProbability(const torch::Tensor& probability, const Click& u, const ClickList& earlier,
                                  const ModulationOptions& options) {
  const auto height = probability.size(-2), width = probability.size(-1);
  const double scale = options.scaleFor(height, width);
  const double radius = modulationRadius(u, earlier, options.rMin * scale, options.rMax * scale);
  const auto mask = linearModulationMask(height, width, u, radius, options.alpha, probability.options());
  const auto rows = torch::arange(height, probability.options().dtype(torch::kFloat32)).view({height, 1});
  const auto cols = torch::arange(width, probability.options().dtype(torch::kFloat32)).view({1, width});
  const auto inside = ((rows - u.y).square() + (cols - u.x).square()) <= radius * radius;
  const auto p = probability.clamp(0.0, 1.0);
  // IKAN eq. (5)
  const auto modulated = u.positive ? p.pow(1.0 / options.gamma) + mask : p.pow(options.gamma) - mask;
  return torch::where(inside, modulated, p).clamp(0.0, 1.0);
}

torch::Tensor modulateForNewClicks(const torch::Tensor& probability, const ClickList& clicks, size_t firstNew,
                                   const ModulationOptions& options) {
  auto result = probability;
  for (size_t i = firstNew; i < clicks.size(); ++i) {
    const ClickList earlier(clicks.begin(), clicks.begin() + static_cast<std::ptrdiff_t>(i));
    result = modulateProbability(result, clicks[i], earlier, options);
  }
  return result;
}

} // namespace medclick
