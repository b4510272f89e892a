#include "clicks/caiseg_click_simulator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace medclick {

namespace F = torch::nn::functional;

namespace {

torch::Tensor asBoolVolume(const torch::Tensor& mask, const char* what) {
  if (mask.dim() != 3) throw std::invalid_argument(std::string(what) + ": expected a [D, H, W] volume");
  return mask.to(torch::kCPU).to(torch::kBool).contiguous();
}

std::vector<int64_t> boxRadius(const VoxelSpacing& spacing, double millimetres) {
  const auto r = [&](double s) { return static_cast<int64_t>(std::floor(millimetres / s + 1e-9)); };
  return {r(spacing.z), r(spacing.y), r(spacing.x)};
}

// Max-pooling with a (2r+1)-box: dilation; of the complement: erosion.
torch::Tensor boxMaxPool(const torch::Tensor& volume, const std::vector<int64_t>& r, double padValue) {
  auto x = volume.to(torch::kFloat32).unsqueeze(0).unsqueeze(0);
  x = F::pad(x, F::PadFuncOptions({r[2], r[2], r[1], r[1], r[0], r[0]}).value(padValue));
  return F::max_pool3d(x, F::MaxPool3dFuncOptions({2 * r[0] + 1, 2 * r[1] + 1, 2 * r[2] + 1}).stride(1)).squeeze(0).squeeze(0);
}

VoxelPoint pointOfIndex(int64_t index, int64_t height, int64_t width) {
  return {static_cast<double>(index / (height * width)), static_cast<double>((index / width) % height), static_cast<double>(index % width)};
}

// One voxel drawn uniformly from the non-zero voxels of a [D, H, W] bool tensor.
std::optional<VoxelPoint> drawVoxel(const torch::Tensor& region, std::mt19937_64& random) {
  const auto indices = region.flatten().nonzero().flatten();
  if (indices.size(0) == 0) return std::nullopt;
  const auto pick = std::uniform_int_distribution<int64_t>(0, indices.size(0) - 1)(random);
  return pointOfIndex(indices[pick].item<int64_t>(), region.size(1), region.size(2));
}

} // namespace

Components connectedComponents(const torch::Tensor& mask) {
  const auto volume = asBoolVolume(mask, "connectedComponents");
  const int64_t D = volume.size(0), H = volume.size(1), W = volume.size(2);
  const bool* inside = volume.data_ptr<bool>();
  Components result;
  result.labels = torch::zeros({D, H, W}, torch::kInt32);
  int32_t* labels = result.labels.data_ptr<int32_t>();
  std::vector<int64_t> queue;
  for (int64_t start = 0; start < D * H * W; ++start) {
    if (!inside[start] || labels[start] != 0) continue;
    const auto label = static_cast<int32_t>(result.sizes.size() + 1);
    labels[start] = label;
    queue.assign(1, start);
    for (size_t head = 0; head < queue.size(); ++head) { // breadth-first flood over the 6 face neighbours
      const int64_t v = queue[head], z = v / (H * W), y = (v / W) % H, x = v % W;
      const int64_t neighbours[6][3] = {{z - 1, y, x}, {z + 1, y, x}, {z, y - 1, x}, {z, y + 1, x}, {z, y, x - 1}, {z, y, x + 1}};
      for (const auto& n : neighbours) {
        if (n[0] < 0 || n[0] >= D || n[1] < 0 || n[1] >= H || n[2] < 0 || n[2] >= W) continue;
        const int64_t u = (n[0] * H + n[1]) * W + n[2];
        if (inside[u] && labels[u] == 0) {
          labels[u] = label;
          queue.push_back(u);
        }
      }
    }
    result.sizes.push_back(static_cast<int64_t>(queue.size()));
  }
  return result;
}

torch::Tensor erodeMillimetres(const torch::Tensor& mask, const VoxelSpacing& spacing, double millimetres) {
  const auto volume = asBoolVolume(mask, "erodeMillimetres");
  return boxMaxPool(volume.logical_not(), boxRadius(spacing, millimetres), 1.0).eq(0);
}

torch::Tensor dilateMillimetres(const torch::Tensor& mask, const VoxelSpacing& spacing, double millimetres) {
  const auto volume = asBoolVolume(mask, "dilateMillimetres");
  return boxMaxPool(volume, boxRadius(spacing, millimetres), 0.0).gt(0);
}

CaisegPrompt firstRoundPrompt(const torch::Tensor& lesion, const VoxelSpacing& spacing, const CaisegClickOptions& o,
                              std::mt19937_64& random) {
  const auto object = asBoolVolume(lesion, "firstRoundPrompt");
  CaisegPrompt prompt;
  prompt.spacing = spacing;
  auto interior = erodeMillimetres(object, spacing, o.erosionMillimetres);
  if (!interior.any().item<bool>()) interior = object;
  const auto band = dilateMillimetres(object, spacing, o.bandMillimetres).logical_and(object.logical_not());
  const int foreground = std::uniform_int_distribution<int>(o.minForeground, o.maxForeground)(random);
  const int background = std::uniform_int_distribution<int>(o.minBackground, o.maxBackground)(random);
  for (int i = 0; i < foreground; ++i)
    if (const auto p = drawVoxel(interior, random)) prompt.foreground.push_back(*p);
  for (int i = 0; i < background; ++i)
    if (const auto p = drawVoxel(band, random)) prompt.background.push_back(*p);
  return prompt;
}

int addErrorRegionPoints(CaisegPrompt& prompt, const torch::Tensor& prediction, const torch::Tensor& lesion,
                         const CaisegClickOptions& o, std::mt19937_64& random) {
  const auto object = asBoolVolume(lesion, "addErrorRegionPoints");
  const auto predicted = asBoolVolume(prediction, "addErrorRegionPoints");
  const double threshold = o.componentFraction * static_cast<double>(object.sum().item<int64_t>());
  struct Region {
    int64_t size;
    int kind; // 0: missed lesion (foreground point), 1: false alarm (background point)
    int32_t label;
  };
  std::vector<Components> components;
  std::vector<Region> regions;
  for (const int kind : {0, 1}) {
    const auto error = kind == 0 ? object.logical_and(predicted.logical_not()) : predicted.logical_and(object.logical_not());
    components.push_back(connectedComponents(error));
    const auto& sizes = components.back().sizes;
    for (size_t c = 0; c < sizes.size(); ++c)
      if (static_cast<double>(sizes[c]) > threshold) // §III-F: only regions that exceed the threshold
        regions.push_back({sizes[c], kind, static_cast<int32_t>(c + 1)});
  }
  std::stable_sort(regions.begin(), regions.end(), [](const Region& a, const Region& b) { return a.size > b.size; });
  int added = 0;
  for (const auto& region : regions) {
    if (added >= o.maxPointsPerRound) break;
    const auto point = *drawVoxel(components[static_cast<size_t>(region.kind)].labels.eq(region.label), random);
    (region.kind == 0 ? prompt.foreground : prompt.background).push_back(point);
    ++added;
  }
  return added;
}

std::optional<SimulatedPoint> largestErrorRegionPoint(const torch::Tensor& prediction, const torch::Tensor& lesion,
                                                      const VoxelSpacing& spacing) {
  const auto object = asBoolVolume(lesion, "largestErrorRegionPoint");
  const auto predicted = asBoolVolume(prediction, "largestErrorRegionPoint");
  std::optional<SimulatedPoint> best;
  int64_t bestSize = 0;
  for (const bool foreground : {true, false}) {
    const auto error = foreground ? object.logical_and(predicted.logical_not()) : predicted.logical_and(object.logical_not());
    const auto components = connectedComponents(error);
    const auto largest = std::max_element(components.sizes.begin(), components.sizes.end());
    if (largest == components.sizes.end() || *largest <= bestSize) continue;
    bestSize = *largest;
    const auto label = static_cast<int32_t>(largest - components.sizes.begin() + 1);
    const auto coordinates = components.labels.eq(label).nonzero().to(torch::kFloat64); // [n, 3] (z, y, x)
    const auto scale = torch::tensor({spacing.z, spacing.y, spacing.x}, torch::kFloat64);
    const auto millimetres = coordinates * scale;
    const auto nearest = (millimetres - millimetres.mean(0)).square().sum(1).argmin().item<int64_t>();
    const auto voxel = coordinates[nearest];
    best = SimulatedPoint{{voxel[0].item<double>(), voxel[1].item<double>(), voxel[2].item<double>()}, foreground};
  }
  return best;
}

} // namespace medclick
