// CAISeg on whole volumes, one patch at a time (the paper infers on patches too: 48×128×128 for
// colon and pancreas, 64×128×128 for lung, §IV-B3).
//
// Patch size. In-plane 128 × 128 (the paper's) unless requested. The depth covers about the in-plane
// extent in millimetres, 128·s_xy / s_z slices, rounded up to the network's depth step (16; 8 when the weights
// are anisotropic, whose F keeps every slice) and kept within [16, 64]: more depth than 64 costs more
// than a click is worth on a CPU. An axis where the volume is smaller than the patch shrinks to the
// next step above the volume's size (less work) and is padded by repeating the border voxels.
// There is no resampling: the network sees the volume's own voxels, and the spacing enters eq. (4)
// through eq. (13)'s correction.
//
// Placement. The patch must hold the newest click; earlier clicks are added newest first while the
// bounding box of those taken still fits in the patch less a 1/8 margin on each side; the patch is
// centred on that box and clamped inside the volume. Clicks outside the patch are not shown to the
// network (their effect is already in the previous probability outside it).
//
// Reuse. encode() (V-Net + cross-attention: nearly all the work) depends only on the patch's image,
// so its features are kept for the last patch. A new click inside that patch, at least 1/8 of the
// patch from any face that is not the volume's border, keeps the patch: only the IGM and the head run.
//
// No clicks. The automatic first round (the paper's validation round one, §IV-B2) tiles the whole
// volume with patches (the last tile of an axis ends at the volume's end; overlaps are averaged):
// a lesion can be anywhere, and a central patch would miss most of a large volume.

#include "inference/caiseg/caiseg_engine.h"

#include "inference/caiseg/caiseg_network.h"
#include "engine/device.h"
#include "runtime/cpu_tuning.h"
#include "weights/safetensors.h"
#include "weights/weights_metadata.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <stdexcept>

namespace medclick {

namespace F = torch::nn::functional;

namespace {

constexpr int64_t kInPlane = 128;
constexpr int64_t kMinDepth = 16, kMaxDepth = 64;

int64_t roundUp(double value, int64_t step) {
  const auto steps = static_cast<int64_t>(std::ceil(value / static_cast<double>(step) - 1e-9));
  return std::max<int64_t>(step, steps * step);
}

int64_t margin(int64_t size) { return size / 8; }

} // namespace

bool CaisegPatch::contains(double z, double y, double x) const {
  const double p[3] = {z, y, x};
  for (int a = 0; a < 3; ++a)
    if (p[a] < static_cast<double>(start[a]) || p[a] > static_cast<double>(start[a] + size[a] - 1)) return false;
  return true;
}

std::array<int64_t, 3> caisegPatchSize(const std::array<int64_t, 3>& volumeSize, const std::array<double, 3>& spacing, bool anisotropic,
                                       const std::array<int, 3>& requested) {
  const std::array<int64_t, 3> step{anisotropic ? 8 : 16, 16, 16};
  std::array<int64_t, 3> size{};
  for (int a = 1; a < 3; ++a) size[a] = requested[a] > 0 ? roundUp(requested[a], step[a]) : kInPlane;
  // the depth covers about the in-plane extent in millimetres
  const double inPlaneMm = 0.5 * (static_cast<double>(size[1]) * spacing[1] + static_cast<double>(size[2]) * spacing[2]);
  const double depth = inPlaneMm / std::max(spacing[0], 1e-6);
  size[0] = requested[0] > 0 ? roundUp(requested[0], step[0]) : std::clamp(roundUp(depth, step[0]), kMinDepth, kMaxDepth);
  for (int a = 0; a < 3; ++a) size[a] = std::min(size[a], roundUp(static_cast<double>(volumeSize[a]), step[a]));
  return size;
}

CaisegPatch placeCaisegPatch(const std::vector<std::array<double, 3>>& clicks, const std::array<int64_t, 3>& size,
                             const std::array<int64_t, 3>& volumeSize) {
  CaisegPatch patch;
  patch.size = size;
  std::array<double, 3> lo{}, hi{};
  if (clicks.empty()) {
    for (int a = 0; a < 3; ++a) lo[a] = hi[a] = 0.5 * static_cast<double>(volumeSize[a] - 1);
  } else {
    lo = hi = clicks.back();
    for (auto c = clicks.rbegin() + 1; c != clicks.rend(); ++c) {
      std::array<double, 3> newLo{}, newHi{};
      bool fits = true;
      for (int a = 0; a < 3; ++a) {
        newLo[a] = std::min(lo[a], (*c)[a]);
        newHi[a] = std::max(hi[a], (*c)[a]);
        fits = fits && newHi[a] - newLo[a] <= static_cast<double>(size[a] - 1 - 2 * margin(size[a]));
      }
      if (fits) lo = newLo, hi = newHi;
    }
  }
  for (int a = 0; a < 3; ++a) {
    const auto centre = static_cast<int64_t>(std::floor(0.5 * (lo[a] + hi[a]) + 0.5));
    const int64_t highest = std::max<int64_t>(0, volumeSize[a] - size[a]);
    patch.start[a] = std::clamp<int64_t>(centre - size[a] / 2, 0, highest);
  }
  return patch;
}

void normalizeForCaiseg(std::vector<float>& voxels) {
  if (voxels.empty()) return;
  // Percentiles of at most ~1 M evenly strided voxels: exact enough, and fast on 10⁸-voxel CTs.
  const std::size_t stride = std::max<std::size_t>(1, voxels.size() >> 20);
  std::vector<float> sample;
  sample.reserve(voxels.size() / stride + 1);
  for (std::size_t i = 0; i < voxels.size(); i += stride) sample.push_back(voxels[i]);
  const auto at = [&](double q) {
    const auto k = static_cast<std::size_t>(q * static_cast<double>(sample.size() - 1) + 0.5);
    std::nth_element(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(k), sample.end());
    return sample[k];
  };
  const float low = at(0.005), high = at(0.995);
  double sum = 0.0, squares = 0.0;
  for (float& v : voxels) {
    v = std::clamp(v, low, high);
    sum += v;
    squares += static_cast<double>(v) * v;
  }
  const double n = static_cast<double>(voxels.size());
  const double mean = sum / n;
  const double deviation = std::max(std::sqrt(std::max(0.0, squares / n - mean * mean)), 1e-6);
  for (float& v : voxels) v = static_cast<float>((v - mean) / deviation);
}

namespace {

using torch::indexing::Slice;

class CaisegEngineImpl : public CaisegEngine {
public:
  CaisegEngineImpl(CaisegNetwork network, torch::Device device, std::array<int, 3> requestedPatch)
      : network_(std::move(network)), device_(device), requestedPatch_(requestedPatch) {
    network_->to(device_);
    network_->eval();
  }

  std::string name() const override {
    const auto& o = network_->options();
    return "CAISeg (" + o.variant + (o.backbone.anisotropic ? ", anisotropic" : "") + ")";
  }
  std::string deviceName() const override { return device_.str(); }

  EngineCapabilities capabilities() const override { return caisegCapabilities(); }

  void setImage(const EngineImage& image) override {
    const auto& size = image.size;
    const auto& spacing = image.spacing;
    const float* voxels = image.voxels;
    if (size[0] == 0 || size[1] == 0 || size[2] == 0) throw std::invalid_argument("CAISeg: an empty volume");
    if (image.channels != 1) throw std::invalid_argument("CAISeg takes one grey volume, not " + std::to_string(image.channels) + " channels");
    std::lock_guard<std::mutex> lock(mutex_);
    volumeSize_ = {static_cast<int64_t>(size[2]), static_cast<int64_t>(size[1]), static_cast<int64_t>(size[0])};
    spacing_ = {spacing[2], spacing[1], spacing[0]};
    std::vector<float> normalized(voxels, voxels + size[0] * size[1] * size[2]);
    normalizeForCaiseg(normalized);
    torch::InferenceMode inference;
    volume_ = torch::from_blob(normalized.data(), {volumeSize_[0], volumeSize_[1], volumeSize_[2]}, torch::kFloat32).clone();
    patchSize_ = caisegPatchSize(volumeSize_, spacing_, network_->options().backbone.anisotropic, requestedPatch_);
    features_ = CaisegFeatures{};
    hasCache_ = false;
  }

  VoxelBox refine(const VolumeClickList& clicks, std::size_t, float* probability) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!volume_.defined()) throw std::logic_error("CAISeg: refine() before setImage()");
    std::vector<std::array<double, 3>> points;
    for (const VolumeClick& c : clicks) {
      const std::array<double, 3> p{c.k, c.j, c.i};
      for (int a = 0; a < 3; ++a)
        if (!(p[a] >= 0.0 && p[a] <= static_cast<double>(volumeSize_[a] - 1)))
          throw std::invalid_argument("CAISeg: click (" + std::to_string(c.i) + ", " + std::to_string(c.j) + ", " + std::to_string(c.k) +
                                      ") lies outside the volume");
      points.push_back(p);
    }
    torch::InferenceMode inference;
    // Read (the patch's S_p) before it is written: each round reads its patch of the previous
    // probability first and writes that patch last.
    const auto output = torch::from_blob(probability, {volumeSize_[0], volumeSize_[1], volumeSize_[2]}, torch::kFloat32);
    const torch::Tensor& previous = output;

    if (clicks.empty()) {
      automaticRound(previous, output);
      return VoxelBox::whole(sizeInVoxels());
    }
    if (!(hasCache_ && keepsPatch(points.back()))) useFeaturesOf(placeCaisegPatch(points, patchSize_, volumeSize_));
    CaisegPrompt prompt;
    prompt.spacing = {spacing_[0], spacing_[1], spacing_[2]};
    for (std::size_t n = 0; n < points.size(); ++n) {
      const auto& p = points[n];
      if (!cachedPatch_.contains(p[0], p[1], p[2])) continue;
      const VoxelPoint local{p[0] - static_cast<double>(cachedPatch_.start[0]), p[1] - static_cast<double>(cachedPatch_.start[1]),
                             p[2] - static_cast<double>(cachedPatch_.start[2])};
      (clicks[n].positive ? prompt.foreground : prompt.background).push_back(local);
    }
    writeBack(cachedPatch_, predict(prompt, previous), output);
    return boxOf(cachedPatch_);
  }

  CaisegPatch lastPatch() const override { return cachedPatch_; }
  std::size_t encodeCount() const override { return encodeCount_; }
  std::array<int64_t, 3> patchSize() const override { return patchSize_; }

private:
  std::array<std::size_t, 3> sizeInVoxels() const {
    return {static_cast<std::size_t>(volumeSize_[2]), static_cast<std::size_t>(volumeSize_[1]), static_cast<std::size_t>(volumeSize_[0])};
  }

  // A patch's valid part as a box of voxel indices (i, j, k): tensor order (z, y, x) reversed.
  VoxelBox boxOf(const CaisegPatch& patch) const {
    const auto e = validExtent(patch);
    VoxelBox box;
    for (int a = 0; a < 3; ++a) {
      box.begin[2 - a] = static_cast<std::size_t>(patch.start[a]);
      box.end[2 - a] = static_cast<std::size_t>(patch.start[a] + e[a]);
    }
    return box;
  }

  // The valid (inside the volume) part of a patch along each axis.
  std::array<int64_t, 3> validExtent(const CaisegPatch& patch) const {
    std::array<int64_t, 3> extent{};
    for (int a = 0; a < 3; ++a) extent[a] = std::min(patch.size[a], volumeSize_[a] - patch.start[a]);
    return extent;
  }

  torch::Tensor crop(const torch::Tensor& full, const CaisegPatch& patch) const {
    const auto e = validExtent(patch);
    const auto& s = patch.start;
    return full.index({Slice(s[0], s[0] + e[0]), Slice(s[1], s[1] + e[1]), Slice(s[2], s[2] + e[2])});
  }

  // [D, H, W] valid part → [1, 1, d, h, w] of the patch's size, padded at the end of each axis.
  torch::Tensor padded(const torch::Tensor& part, const CaisegPatch& patch, bool replicate) const {
    const auto e = validExtent(patch);
    const std::vector<int64_t> padding{0, patch.size[2] - e[2], 0, patch.size[1] - e[1], 0, patch.size[0] - e[0]};
    auto x = part.unsqueeze(0).unsqueeze(0).to(device_);
    if (padding[1] == 0 && padding[3] == 0 && padding[5] == 0) return x.contiguous();
    F::PadFuncOptions options(padding);
    if (replicate) options.mode(torch::kReplicate);
    else options.mode(torch::kConstant);
    return F::pad(x, options);
  }

  bool keepsPatch(const std::array<double, 3>& click) const {
    if (cachedPatch_.size != patchSize_) return false;
    for (int a = 0; a < 3; ++a) {
      const int64_t m = margin(patchSize_[a]);
      const double lowest = cachedPatch_.start[a] > 0 ? static_cast<double>(cachedPatch_.start[a] + m) : 0.0;
      const bool endsAtBorder = cachedPatch_.start[a] + cachedPatch_.size[a] >= volumeSize_[a];
      const double highest = endsAtBorder ? static_cast<double>(volumeSize_[a] - 1)
                                          : static_cast<double>(cachedPatch_.start[a] + cachedPatch_.size[a] - 1 - m);
      if (click[a] < lowest || click[a] > highest) return false;
    }
    return true;
  }

  void useFeaturesOf(const CaisegPatch& patch) {
    if (hasCache_ && patch == cachedPatch_) return;
    features_ = network_->encode(padded(crop(volume_, patch), patch, true));
    cachedPatch_ = patch;
    hasCache_ = true;
    ++encodeCount_;
  }

  // The foreground probability of the cached patch's valid part, on the CPU.
  torch::Tensor predict(const CaisegPrompt& prompt, const torch::Tensor& previous) {
    torch::Tensor mask;
    if (previous.defined()) mask = padded((crop(previous, cachedPatch_) > 0.5).to(torch::kFloat32), cachedPatch_, false);
    const auto logits = network_->refine(features_, {prompt}, mask, false).logits;
    const auto e = validExtent(cachedPatch_);
    return CaisegNetworkImpl::foregroundProbability(logits)[0]
        .index({Slice(0, e[0]), Slice(0, e[1]), Slice(0, e[2])})
        .to(torch::kCPU);
  }

  void writeBack(const CaisegPatch& patch, const torch::Tensor& probability, const torch::Tensor& output) const {
    crop(output, patch).copy_(probability);
  }

  void automaticRound(const torch::Tensor& previous, const torch::Tensor& output) {
    std::array<std::vector<int64_t>, 3> starts;
    for (int a = 0; a < 3; ++a) {
      for (int64_t s = 0; s + patchSize_[a] < volumeSize_[a]; s += patchSize_[a]) starts[a].push_back(s);
      starts[a].push_back(std::max<int64_t>(0, volumeSize_[a] - patchSize_[a]));
    }
    auto sum = torch::zeros_like(output);
    auto hits = torch::zeros_like(output);
    CaisegPrompt empty;
    empty.spacing = {spacing_[0], spacing_[1], spacing_[2]};
    for (const int64_t z : starts[0])
      for (const int64_t y : starts[1])
        for (const int64_t x : starts[2]) {
          CaisegPatch tile;
          tile.start = {z, y, x};
          tile.size = patchSize_;
          useFeaturesOf(tile);
          crop(sum, tile).add_(predict(empty, previous));
          crop(hits, tile).add_(1.0);
        }
    output.copy_(sum / hits);
  }

  CaisegNetwork network_;
  torch::Device device_;
  std::array<int, 3> requestedPatch_;
  std::mutex mutex_;
  torch::Tensor volume_; // [D, H, W] normalised, on the CPU
  std::array<int64_t, 3> volumeSize_{0, 0, 0};
  std::array<double, 3> spacing_{1.0, 1.0, 1.0};
  std::array<int64_t, 3> patchSize_{0, 0, 0};
  CaisegFeatures features_;
  CaisegPatch cachedPatch_;
  bool hasCache_ = false;
  std::size_t encodeCount_ = 0;
};

} // namespace

EngineCapabilities caisegCapabilities() {
  EngineCapabilities c;
  c.dimension = 3;
  c.takesClicks = true;
  c.segmentsWithoutClicks = true;
  c.channels = {1};
  return c;
}

std::unique_ptr<CaisegEngine> createCaisegEngine(const CaisegEngineOptions& options) {
  tuneCpuRuntime(options.threads);
  const torch::Device device = chooseDevice(options.device);
  for (const int p : options.patch)
    if (p < 0) throw std::invalid_argument("CAISeg: a patch size must be positive (0 = automatic)");
  if (options.weightsPath.empty()) {
    if (!options.randomWeightsForTesting) throw std::invalid_argument("CAISeg needs a weights file");
    return std::make_unique<CaisegEngineImpl>(CaisegNetwork(CaisegOptions::named(options.variant, options.anisotropic)), device,
                                              options.patch);
  }
  const auto content = loadSafetensors(options.weightsPath);
  const auto& metadata = content.metadata;
  requireModelName(metadata, "caiseg", "CAISeg", options.weightsPath);
  const std::string variant = requiredMetadataText(metadata, "variant", "CAISeg's slim or paper", options.weightsPath);
  const auto anisotropic = metadata.find("anisotropic");
  CaisegOptions networkOptions;
  try {
    networkOptions = CaisegOptions::named(variant, anisotropic != metadata.end() && anisotropic->second == "1");
  } catch (const std::invalid_argument& e) {
    throw WeightsError(options.weightsPath, e.what());
  }
  CaisegNetwork network(networkOptions);
  loadModuleWeights(*network, content, options.weightsPath);
  return std::make_unique<CaisegEngineImpl>(std::move(network), device, options.patch);
}

} // namespace medclick
