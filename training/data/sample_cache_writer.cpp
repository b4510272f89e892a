#include "training/data/segmentation_samples.h"
#include "jobs/ikan_training_job.h"

namespace medclick {

namespace F = torch::nn::functional;

struct SampleCacheWriter::Data {
  int size = 288;
  SampleCacheBuilder cases;
};

SampleCacheWriter::SampleCacheWriter(int cacheSize) : data_(new Data) { data_->size = cacheSize; }
SampleCacheWriter::~SampleCacheWriter() { delete data_; }
int SampleCacheWriter::count() const { return data_->cases.count(); }

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
  data_->cases.append(image.round().clamp(0, 255).to(torch::kUInt8), objectShare.ge(0.5).to(torch::kUInt8), name, group);
}

void SampleCacheWriter::write(const std::string& path) const { data_->cases.write(path); }

} // namespace medclick
