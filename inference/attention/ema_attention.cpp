#include "attention/ema_attention.h"

#include <stdexcept>

namespace medclick {

namespace nn = torch::nn;

EmaAttentionImpl::EmaAttentionImpl(const EmaOptions& o) : options_(o) {
  if (o.groups < 1 || o.channels % o.groups != 0)
    throw std::invalid_argument("EMA: " + std::to_string(o.groups) + " groups do not divide " + std::to_string(o.channels) + " channels");
  const auto c = o.channels / o.groups;
  conv1x1 = register_module("conv1x1", nn::Conv2d(nn::Conv2dOptions(c, c, 1)));
  conv3x3 = register_module("conv3x3", nn::Conv2d(nn::Conv2dOptions(c, c, 3).padding(1)));
  gn = register_module("gn", nn::GroupNorm(nn::GroupNormOptions(c, c)));
}

torch::Tensor EmaAttentionImpl::groupedView(const torch::Tensor& x) const {
  return x.reshape({x.size(0) * options_.groups, options_.channels / options_.groups, x.size(2), x.size(3)});
}

torch::Tensor EmaAttentionImpl::gate(const torch::Tensor& x) { return gateOfGroups(groupedView(x)); }

torch::Tensor EmaAttentionImpl::gateOfGroups(const torch::Tensor& grouped) {
  const auto bg = grouped.size(0), c = grouped.size(1), height = grouped.size(2), width = grouped.size(3);

  // 1×1 branch: the two 1-D poolings through one shared 1×1 conv, then split back.
  const auto alongRows = grouped.mean(3, true);                        // [bg, c, H, 1]
  const auto alongColumns = grouped.mean(2, true).permute({0, 1, 3, 2}); // [bg, c, W, 1]
  const auto mixed = conv1x1(torch::cat({alongRows, alongColumns}, 2));
  const auto rowGate = torch::sigmoid(mixed.narrow(2, 0, height));
  const auto columnGate = torch::sigmoid(mixed.narrow(2, height, width).permute({0, 1, 3, 2}));
  const auto x1 = gn(grouped * rowGate * columnGate);
  // 3×3 branch
  const auto x2 = conv3x3(grouped);

  // Cross-spatial learning: each branch's global descriptor (softmax over the c channels) weighs the
  // other branch's map.
  const auto descriptor = [&](const torch::Tensor& branch) { return torch::softmax(branch.mean({2, 3}).unsqueeze(1), -1); }; // [bg, 1, c]
  const auto weights = torch::matmul(descriptor(x1), x2.reshape({bg, c, height * width})) +
                       torch::matmul(descriptor(x2), x1.reshape({bg, c, height * width}));
  return torch::sigmoid(weights.reshape({bg, 1, height, width}));
}

torch::Tensor EmaAttentionImpl::forward(const torch::Tensor& x) {
  const auto grouped = groupedView(x);
  return (grouped * gateOfGroups(grouped)).reshape(x.sizes());
}

} // namespace medclick
