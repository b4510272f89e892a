#include "data/segmentation_samples.h"
#include "jobs/ikan_training_job.h"

namespace medclick {

namespace F = torch::nn::functional;

struct SampleCacheWriter::Data {
  int size = 288;
  std::vector<torch::Tensor> images, masks;
  std::vector<std::string> names, groups;
};

SampleCacheWriter::SampleCacheWriter(int cacheSize) : data_(new Data) { data_->size = cacheSize; }
SampleCacheWriter::~SampleCacheWriter() { delete data_; }
int SampleCacheWriter::count() const { return static_cast<int>(data_->names.size()); }

void SampleCacheWriter::add(const std::string& name, const std::string& group, int width, int height, const float* pixels,
                            const uint8_t* mask) {
  const auto s = static_cast<int64_t>(data_->size);
  auto image = torch::from_blob(const_cast<float*>(pixels), {1, 1, height, width}, torch::kFloat32).clone();
  const auto low = image.min(), high = image.max();
  image = (image - low) / (high - low).clamp_min(1e-6) * 255.0;
  image = F::interpolate(image, F::InterpolateFuncOptions().size(std::vector<int64_t>{s, s}).mode(torch::kBilinear)
                                    .align_corners(false).antialias(true));
  // A mask pixel of the cache is object when most of the area it covers is.
  auto objectShare = torch::from_blob(const_cast<uint8_t*>(mask), {1, 1, height, width}, torch::kUInt8).ne(0).to(torch::kFloat32);
  objectShare = F::interpolate(objectShare, F::InterpolateFuncOptions().size(std::vector<int64_t>{s, s}).mode(torch::kArea));
  data_->images.push_back(image.round().clamp(0, 255).to(torch::kUInt8));
  data_->masks.push_back(objectShare.ge(0.5).to(torch::kUInt8));
  data_->names.push_back(name);
  data_->groups.push_back(group);
}

void SampleCacheWriter::write(const std::string& path) const {
  if (data_->names.empty()) throw std::runtime_error("no cases to write into " + path);
  SegmentationSamples samples;
  samples.images = torch::cat(data_->images);
  samples.masks = torch::cat(data_->masks);
  samples.names = data_->names;
  samples.groups = data_->groups;
  saveSampleCache(samples, path);
}

} // namespace medclick
