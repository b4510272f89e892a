// KANU-Net's 2D cache: per slice the brain-centred crop of every modality (the segmenter's own crop,
// kanunet_preprocessing.h), min–max scaled to uint8 per modality (the network input min–max scales
// again, so only the quantisation is lost), and one binary map per class.

#include "training/data/segmentation_samples.h"
#include "jobs/segmenter_training_job.h"
#include "kanunet/kanunet_preprocessing.h"

#include <stdexcept>

namespace medclick {

namespace F = torch::nn::functional;

struct SliceCacheWriter::Data {
  int size = 224;
  SampleCacheBuilder slices;
};

SliceCacheWriter::SliceCacheWriter(int cropSize) : data_(new Data) {
  if (cropSize <= 0 || cropSize % 16 != 0) throw std::invalid_argument("KANU-Net's crop must be a positive multiple of 16");
  data_->size = cropSize;
}
SliceCacheWriter::~SliceCacheWriter() { delete data_; }
int SliceCacheWriter::count() const { return data_->slices.count(); }
int SliceCacheWriter::cropSize() const { return data_->size; }

void SliceCacheWriter::add(const std::string& name, const std::string& group, int width, int height, int channels, const float* planes,
                           int classes, const uint8_t* classMasks) {
  if (width <= 0 || height <= 0 || channels <= 0 || classes <= 0) throw std::invalid_argument("an empty slice cannot join the cache");
  if (data_->slices.count() > 0 && (data_->slices.first(false).size(1) != channels || data_->slices.first(true).size(1) != classes))
    throw std::invalid_argument(name + ": " + std::to_string(channels) + " modalities and " + std::to_string(classes) +
                                " classes, unlike the cases before it");
  const auto s = static_cast<int64_t>(data_->size);
  const auto image = torch::from_blob(const_cast<float*>(planes), {channels, height, width}, torch::kFloat32);
  const auto mask = torch::from_blob(const_cast<uint8_t*>(classMasks), {classes, height, width}, torch::kUInt8).ne(0).to(torch::kFloat32);
  const CropBox box = brainCentredCrop(image, s);
  auto crop = cropWithPadding(image, box).unsqueeze(0);
  auto cropMask = cropWithPadding(mask, box).unsqueeze(0); // padded with its minimum: 0 unless the class fills the slice
  if (box.side != s) { // a brain wider than the crop: the whole of it, resized as the segmenter does
    crop = F::interpolate(crop, F::InterpolateFuncOptions().size(std::vector<int64_t>{s, s}).mode(torch::kBilinear).align_corners(false));
    cropMask = F::interpolate(cropMask, F::InterpolateFuncOptions().size(std::vector<int64_t>{s, s}).mode(torch::kBilinear).align_corners(false));
  }
  const auto flat = crop.flatten(2);
  const auto low = std::get<0>(flat.min(2, true)).unsqueeze(-1);
  const auto high = std::get<0>(flat.max(2, true)).unsqueeze(-1);
  data_->slices.append(((crop - low) / (high - low).clamp_min(1e-6) * 255.0).round().clamp(0, 255).to(torch::kUInt8),
                       cropMask.ge(0.5).to(torch::kUInt8), name, group);
}

void SliceCacheWriter::write(const std::string& path) const { data_->slices.write(path); }

} // namespace medclick
