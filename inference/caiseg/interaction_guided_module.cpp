#include "inference/caiseg/interaction_guided_module.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace medclick {

namespace F = torch::nn::functional;

namespace {

int64_t cellOf(double position, int64_t ratio, int64_t size) {
  const auto cell = static_cast<int64_t>(std::floor((position + 0.5) / static_cast<double>(ratio)));
  return std::clamp<int64_t>(cell, 0, size - 1);
}

} // namespace

torch::Tensor clickGridCoordinates(const CaisegPrompt& prompt, const Stride3& ratio, const Stride3& gridSize) {
  std::vector<int64_t> cells;
  cells.reserve(3 * prompt.size());
  for (const auto* points : {&prompt.foreground, &prompt.background})
    for (const auto& p : *points) {
      cells.push_back(cellOf(p.z, ratio[0], gridSize[0]));
      cells.push_back(cellOf(p.y, ratio[1], gridSize[1]));
      cells.push_back(cellOf(p.x, ratio[2], gridSize[2]));
    }
  return torch::tensor(cells, torch::kLong).view({static_cast<int64_t>(prompt.size()), 3});
}

torch::Tensor clickIsForeground(const CaisegPrompt& prompt) {
  auto labels = torch::zeros({static_cast<int64_t>(prompt.size())}, torch::kBool);
  labels.slice(0, 0, static_cast<int64_t>(prompt.foreground.size())).fill_(true);
  return labels;
}

torch::Tensor gatherClickFeatures(const torch::Tensor& features, const torch::Tensor& cells) {
  const auto c = cells.to(features.device());
  const auto linear = (c.select(1, 0) * features.size(2) + c.select(1, 1)) * features.size(3) + c.select(1, 2);
  return features.flatten(1).index_select(1, linear).t(); // [n, C]
}

torch::Tensor adjustmentVectors(const torch::Tensor& clickFeatures, const torch::Tensor& isForeground,
                                const torch::Tensor& qFore, const torch::Tensor& qBack) {
  // CAISeg eq. (2)
  const auto qCls = torch::where(isForeground.to(clickFeatures.device()).unsqueeze(1), qFore.unsqueeze(0), qBack.unsqueeze(0));
  return qCls - clickFeatures;
}

torch::Tensor adjustFeatures(const torch::Tensor& features, const torch::Tensor& clusteredAffinity,
                             const torch::Tensor& adjustments) {
  // CAISeg eq. (3), transposed to F's channel-first layout: F_newᵀ = Fᵀ + M_adjᵀ · CAᵀ
  return torch::addmm(features.flatten(1), adjustments.t(), clusteredAffinity.t()).view_as(features);
}

torch::Tensor previousMaskOnFeatureGrid(const torch::Tensor& previousMask, const Stride3& ratio) {
  const std::vector<int64_t> kernel{ratio[0], ratio[1], ratio[2]};
  return F::avg_pool3d(previousMask, F::AvgPool3dFuncOptions(kernel).stride(kernel));
}

InteractionGuidedModuleImpl::InteractionGuidedModuleImpl(const InteractionGuidedOptions& options) : options_(options) {
  clustering = register_module("clustering", FeatureClustering(FeatureClusteringOptions{options.channels, options.clusteringHeads}));
}

torch::Tensor InteractionGuidedModuleImpl::forward(const torch::Tensor& features, const torch::Tensor& queries,
                                                   const std::vector<CaisegPrompt>& prompts, const torch::Tensor& previousMask) {
  const int64_t B = features.size(0);
  if (static_cast<int64_t>(prompts.size()) != B)
    throw std::invalid_argument("interaction-guided module: one prompt per sample (" + std::to_string(B) + " samples, " +
                                std::to_string(prompts.size()) + " prompts)");
  const Stride3 grid{features.size(2), features.size(3), features.size(4)};
  torch::Tensor maskOnGrid;
  if (previousMask.defined()) {
    maskOnGrid = previousMaskOnFeatureGrid(previousMask.to(features.dtype()), options_.featureStride);
    if (maskOnGrid.size(2) != grid[0] || maskOnGrid.size(3) != grid[1] || maskOnGrid.size(4) != grid[2])
      throw std::invalid_argument("interaction-guided module: the previous mask must have the input volume's size");
  }
  std::vector<torch::Tensor> adjusted;
  for (int64_t b = 0; b < B; ++b) {
    const auto& prompt = prompts[static_cast<size_t>(b)];
    const auto Fb = features[b];
    if (prompt.size() == 0) {
      adjusted.push_back(Fb);
      continue;
    }
    const auto cells = clickGridCoordinates(prompt, options_.featureStride, grid);
    const auto isForeground = clickIsForeground(prompt);
    const auto Sp = maskOnGrid.defined() ? maskOnGrid[b][0] : torch::zeros({grid[0], grid[1], grid[2]}, features.options());
    const auto CA = clustering(Fb, Sp, cells, isForeground, distanceCorrection(prompt.spacing, options_.featureStride));
    const auto Madj = adjustmentVectors(gatherClickFeatures(Fb, cells), isForeground, queries[b][1], queries[b][0]);
    adjusted.push_back(adjustFeatures(Fb, CA, Madj));
  }
  return torch::stack(adjusted);
}

} // namespace medclick
