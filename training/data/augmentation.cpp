#include "training/data/augmentation.h"

#include <stdexcept>

namespace medclick {

namespace F = torch::nn::functional;

namespace {

torch::Tensor resize(const torch::Tensor& x, int64_t h, int64_t w) {
  return F::interpolate(x, F::InterpolateFuncOptions().size(std::vector<int64_t>{h, w}).mode(torch::kBilinear).align_corners(false));
}

// Masks go through the same (centre-aligned) bilinear resampling as the image, then a 0.5 cut:
// LibTorch's "nearest" mode samples at pixel corners and would shift the mask by up to half a pixel.
torch::Tensor resizeMask(const torch::Tensor& mask, int64_t h, int64_t w) { return resize(mask, h, w).ge(0.5).to(torch::kFloat32); }

} // namespace

AugmentedBatch augmentBatch(const torch::Tensor& images, const torch::Tensor& masks, const AugmentationOptions& o,
                            std::vector<std::mt19937_64>& randomPerSample) {
  if (static_cast<int64_t>(randomPerSample.size()) != images.size(0))
    throw std::invalid_argument("augmentBatch: one random stream per sample is needed");
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const auto s = o.outputSize;
  std::vector<torch::Tensor> outImages, outTargets;
  for (int64_t b = 0; b < images.size(0); ++b) {
    auto& random = randomPerSample[static_cast<size_t>(b)];
    auto image = images[b].unsqueeze(0).to(torch::kFloat32) / 255.0;
    auto target = masks[b].unsqueeze(0).to(torch::kFloat32);
    // Random resize, each side on its own (ultrasound aspect ratios vary).
    const auto h = static_cast<int64_t>(s * (o.minScale + (o.maxScale - o.minScale) * unit(random)));
    const auto w = static_cast<int64_t>(s * (o.minScale + (o.maxScale - o.minScale) * unit(random)));
    image = resize(image, h, w);
    target = resizeMask(target, h, w);
    if (unit(random) < o.flipProbability) {
      image = image.flip({3});
      target = target.flip({3});
    }
    // Pad to at least the output size (the target marks padding as ignored), then crop at random.
    const auto padH = std::max<int64_t>(0, s - h), padW = std::max<int64_t>(0, s - w);
    if (padH > 0 || padW > 0) {
      const auto top = static_cast<int64_t>(unit(random) * static_cast<double>(padH + 1)) % (padH + 1);
      const auto left = static_cast<int64_t>(unit(random) * static_cast<double>(padW + 1)) % (padW + 1);
      const std::vector<int64_t> pad{left, padW - left, top, padH - top};
      image = F::pad(image, F::PadFuncOptions(pad).value(0.0));
      target = F::pad(target, F::PadFuncOptions(pad).value(-1.0));
    }
    const auto y = static_cast<int64_t>(unit(random) * static_cast<double>(image.size(2) - s + 1)) % (image.size(2) - s + 1);
    const auto x = static_cast<int64_t>(unit(random) * static_cast<double>(image.size(3) - s + 1)) % (image.size(3) - s + 1);
    image = image.narrow(2, y, s).narrow(3, x, s);
    target = target.narrow(2, y, s).narrow(3, x, s);
    // Brightness and contrast on the image only.
    const double contrast = 1.0 + o.contrast * (2.0 * unit(random) - 1.0);
    const double brightness = o.brightness * (2.0 * unit(random) - 1.0);
    image = ((image - image.mean()) * contrast + image.mean() + brightness).clamp(0.0, 1.0);
    outImages.push_back(image);
    outTargets.push_back(target);
  }
  return {torch::cat(outImages), torch::cat(outTargets)};
}

AugmentedBatch resizeBatch(const torch::Tensor& images, const torch::Tensor& masks, int64_t outputSize) {
  return {resize(images.to(torch::kFloat32) / 255.0, outputSize, outputSize),
          resizeMask(masks.to(torch::kFloat32), outputSize, outputSize)};
}

torch::Tensor normalizeForNetwork(const torch::Tensor& images) {
  const auto flat = images.flatten(1);
  const auto mean = flat.mean(1).view({-1, 1, 1, 1});
  const auto std = flat.std(1).clamp_min(1e-6).view({-1, 1, 1, 1});
  return ((images - mean) / std).expand({-1, 3, -1, -1}).contiguous();
}

} // namespace medclick
