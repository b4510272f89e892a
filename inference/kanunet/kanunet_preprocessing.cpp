#include "kanunet/kanunet_preprocessing.h"

#include <algorithm>
#include <stdexcept>

namespace medclick {

CropBox brainCentredCrop(const torch::Tensor& image, int64_t side) {
  if (image.dim() != 3 || side <= 0) throw std::invalid_argument("brainCentredCrop takes a [C, H, W] image and a positive side");
  const int64_t height = image.size(1), width = image.size(2);
  const auto flat = image.flatten(1);
  const auto low = std::get<0>(flat.min(1)).view({-1, 1, 1});
  const auto high = std::get<0>(flat.max(1)).view({-1, 1, 1});
  // Above 1 % of each channel's range: z-scored MRI has exact zeros outside the brain, other
  // images a little noise.
  const auto foreground = (image > low + 0.01 * (high - low)).any(0); // [H, W]
  int64_t rowFirst = 0, rowLast = height - 1, columnFirst = 0, columnLast = width - 1;
  if (foreground.any().item<bool>()) {
    const auto rows = foreground.any(1).nonzero().flatten();
    const auto columns = foreground.any(0).nonzero().flatten();
    rowFirst = rows.min().item<int64_t>();
    rowLast = rows.max().item<int64_t>();
    columnFirst = columns.min().item<int64_t>();
    columnLast = columns.max().item<int64_t>();
  }
  CropBox box;
  box.side = std::max({side, rowLast - rowFirst + 1, columnLast - columnFirst + 1});
  // Integer centre of the bounding box; the window extends side/2 before it.
  box.top = (rowFirst + rowLast + 1) / 2 - box.side / 2;
  box.left = (columnFirst + columnLast + 1) / 2 - box.side / 2;
  return box;
}

torch::Tensor cropWithPadding(const torch::Tensor& image, const CropBox& box) {
  const int64_t channels = image.size(0), height = image.size(1), width = image.size(2);
  const auto background = std::get<0>(image.flatten(1).min(1)).view({-1, 1, 1});
  auto crop = background.expand({channels, box.side, box.side}).clone();
  const int64_t rowFrom = std::max<int64_t>(0, box.top), rowTo = std::min(height, box.top + box.side);
  const int64_t columnFrom = std::max<int64_t>(0, box.left), columnTo = std::min(width, box.left + box.side);
  if (rowFrom < rowTo && columnFrom < columnTo)
    crop.narrow(1, rowFrom - box.top, rowTo - rowFrom)
        .narrow(2, columnFrom - box.left, columnTo - columnFrom)
        .copy_(image.narrow(1, rowFrom, rowTo - rowFrom).narrow(2, columnFrom, columnTo - columnFrom));
  return crop;
}

torch::Tensor kanunetNetworkInput(const torch::Tensor& images, const torch::Tensor& gamma) {
  const auto x = images.to(torch::kFloat32);
  const auto flat = x.flatten(2);
  const auto low = std::get<0>(flat.min(2, true)).unsqueeze(-1);
  const auto high = std::get<0>(flat.max(2, true)).unsqueeze(-1);
  // Steps 1–2: u = (x − min)/(max − min) in [0, 1], u^γ per modality, then 2u − 1 in [−1, 1].
  const auto unit = ((x - low) / (high - low).clamp_min(1e-6)).pow(gamma.to(x.device()).view({1, -1, 1, 1}));
  return (2.0 * unit - 1.0).contiguous();
}

} // namespace medclick
