#include "eval/overlap_metrics.h"

#include "image/itk_mask_image.h"

#include <itkImage.h>
#include <itkSignedMaurerDistanceMapImageFilter.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

namespace medclick {

namespace {

using Labels = std::vector<std::uint8_t>;

// Object voxels with a face neighbour outside the object or outside the image: scipy's
// `mask ^ binary_erosion(mask)` with the cross structuring element and border_value 0.
Labels surfaceOf(const Labels& labels, const ImageGeometry& g) {
  const std::array<std::size_t, 3>& n = g.size;
  const std::array<std::size_t, 3> stride{1, n[0], n[0] * n[1]};
  Labels surface(labels.size(), 0);
  for (std::size_t k = 0; k < n[2]; ++k)
    for (std::size_t j = 0; j < n[1]; ++j)
      for (std::size_t i = 0; i < n[0]; ++i) {
        const std::size_t at = i * stride[0] + j * stride[1] + k * stride[2];
        if (!labels[at]) continue;
        const std::array<std::size_t, 3> index{i, j, k};
        bool onSurface = false;
        for (unsigned a = 0; a < g.dimension && !onSurface; ++a)
          onSurface = index[a] == 0 || index[a] + 1 == n[a] || !labels[at - stride[a]] || !labels[at + stride[a]];
        surface[at] = onSurface ? 1 : 0;
      }
  return surface;
}

// For every voxel of `from`, the distance (mm) to the nearest voxel of `to`, by ITK's exact Euclidean
// distance map (Maurer) with the image's spacing.
template <unsigned D>
void appendDistances(const Labels& from, const Labels& to, const ImageGeometry& g, std::vector<double>& distances) {
  using MaskImage = itk::Image<std::uint8_t, D>;
  using DistanceImage = itk::Image<float, D>;
  const auto image = itkMaskImage<D>(to, g);

  auto distanceMap = itk::SignedMaurerDistanceMapImageFilter<MaskImage, DistanceImage>::New();
  distanceMap->SetInput(image);
  distanceMap->SetUseImageSpacing(true);
  distanceMap->SetSquaredDistance(false);
  distanceMap->SetInsideIsPositive(false); // outside `to`: the positive distance to its nearest voxel
  distanceMap->SetBackgroundValue(0);
  distanceMap->Update();
  const float* map = distanceMap->GetOutput()->GetBufferPointer();
  for (std::size_t v = 0; v < from.size(); ++v)
    if (from[v]) distances.push_back(to[v] ? 0.0 : std::max(0.0, static_cast<double>(map[v])));
}

// numpy.percentile's default (linear interpolation between the closest ranks).
double percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double position = q / 100.0 * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

} // namespace

OverlapMetrics overlapMetrics(const LabelMask& prediction, const LabelMask& reference) {
  requireSameGrid(reference.geometry(), prediction.geometry(), "predicted mask");
  const std::vector<Label>& p = prediction.labels();
  const std::vector<Label>& r = reference.labels();
  std::size_t both = 0, predicted = 0, expected = 0;
  for (std::size_t v = 0; v < p.size(); ++v) {
    predicted += p[v] != 0;
    expected += r[v] != 0;
    both += p[v] != 0 && r[v] != 0;
  }
  OverlapMetrics m;
  if (predicted == 0 && expected == 0) { // nothing to find, nothing found
    m.dice = m.iou = m.precision = m.recall = 1.0;
    m.hd95Millimetres = m.assdMillimetres = 0.0;
    return m;
  }
  m.dice = 2.0 * static_cast<double>(both) / static_cast<double>(predicted + expected);
  m.iou = static_cast<double>(both) / static_cast<double>(predicted + expected - both);
  m.precision = predicted == 0 ? 0.0 : static_cast<double>(both) / static_cast<double>(predicted);
  m.recall = expected == 0 ? 1.0 : static_cast<double>(both) / static_cast<double>(expected);
  if (predicted == 0 || expected == 0) { // no surface on one side to measure to
    m.hd95Millimetres = m.assdMillimetres = std::numeric_limits<double>::infinity();
    return m;
  }
  const ImageGeometry& g = reference.geometry();
  Labels binaryP(p.size()), binaryR(r.size());
  std::transform(p.begin(), p.end(), binaryP.begin(), [](Label v) { return v ? 1 : 0; });
  std::transform(r.begin(), r.end(), binaryR.begin(), [](Label v) { return v ? 1 : 0; });
  const Labels surfaceP = surfaceOf(binaryP, g), surfaceR = surfaceOf(binaryR, g);
  std::vector<double> fromPrediction, fromReference;
  if (g.dimension == 2) {
    appendDistances<2>(surfaceP, surfaceR, g, fromPrediction);
    appendDistances<2>(surfaceR, surfaceP, g, fromReference);
  } else {
    appendDistances<3>(surfaceP, surfaceR, g, fromPrediction);
    appendDistances<3>(surfaceR, surfaceP, g, fromReference);
  }
  const auto mean = [](const std::vector<double>& values) {
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  };
  m.assdMillimetres = 0.5 * (mean(fromPrediction) + mean(fromReference));
  std::vector<double> distances = std::move(fromPrediction); // HD95: both directions, pooled
  distances.insert(distances.end(), fromReference.begin(), fromReference.end());
  m.hd95Millimetres = percentile(std::move(distances), 95.0);
  return m;
}

} // namespace medclick
