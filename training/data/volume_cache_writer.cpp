#include "training/data/volume_samples.h"
#include "jobs/caiseg_training_job.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace medclick {

namespace F = torch::nn::functional;

struct VolumeCacheWriter::Data {
  double minimumSpacing = 1.5;
  VolumeSamples samples;
};

VolumeCacheWriter::VolumeCacheWriter(double minimumSpacing) : data_(new Data) { data_->minimumSpacing = minimumSpacing; }
VolumeCacheWriter::~VolumeCacheWriter() { delete data_; }
int VolumeCacheWriter::count() const { return static_cast<int>(data_->samples.size()); }

namespace {

// The 0.5th and 99.5th percentiles of a volume, from at most ~2 M evenly strided voxels (quantile's
// input limit, and plenty for two percentiles).
std::pair<double, double> robustRange(const torch::Tensor& volume) {
  auto flat = volume.flatten();
  const int64_t stride = std::max<int64_t>(1, flat.numel() / (1 << 21));
  flat = flat.slice(0, 0, flat.numel(), stride).to(torch::kFloat64);
  const auto q = torch::quantile(flat, torch::tensor({0.005, 0.995}, torch::kFloat64));
  return {q[0].item<double>(), q[1].item<double>()};
}

} // namespace

void VolumeCacheWriter::add(const std::string& name, const std::string& group, int sizeX, int sizeY, int sizeZ,
                            const std::array<double, 3>& spacingXyz, const float* voxels, const uint8_t* mask) {
  if (sizeX <= 0 || sizeY <= 0 || sizeZ <= 0) throw std::invalid_argument(name + ": empty volume");
  const std::vector<int64_t> size{sizeZ, sizeY, sizeX};
  auto image = torch::from_blob(const_cast<float*>(voxels), size, torch::kFloat32).clone();
  auto lesion = torch::from_blob(const_cast<uint8_t*>(mask), size, torch::kUInt8).ne(0).to(torch::kFloat32);
  const auto [low, high] = robustRange(image);
  image = ((image.clamp(low, high) - low) / std::max(high - low, 1e-6)).to(torch::kFloat32);

  const std::array<double, 3> spacingZyx{spacingXyz[2], spacingXyz[1], spacingXyz[0]};
  std::vector<int64_t> newSize(3);
  VoxelSpacing spacing;
  double* out[3] = {&spacing.z, &spacing.y, &spacing.x};
  for (size_t a = 0; a < 3; ++a) {
    const double target = std::max(spacingZyx[a], data_->minimumSpacing);
    const double extent = static_cast<double>(size[a]) * spacingZyx[a];
    newSize[a] = std::max<int64_t>(1, static_cast<int64_t>(std::lround(extent / target)));
    *out[a] = extent / static_cast<double>(newSize[a]); // keeps the physical extent exact
  }
  if (newSize != size) {
    const auto resample = [&](const torch::Tensor& v) {
      return F::interpolate(v.view({1, 1, size[0], size[1], size[2]}),
                            F::InterpolateFuncOptions().size(newSize).mode(torch::kTrilinear).align_corners(false))
          .view(newSize);
    };
    image = resample(image);
    lesion = resample(lesion); // a voxel of the coarser grid is lesion where most of it is
  }
  data_->samples.push_back({image.contiguous(), lesion.ge(0.5).to(torch::kUInt8).contiguous(), spacing, name, group});
}

void VolumeCacheWriter::write(const std::string& path) const {
  if (data_->samples.empty()) throw std::runtime_error("no cases to write into " + path);
  saveVolumeCache(data_->samples, path);
}

} // namespace medclick
