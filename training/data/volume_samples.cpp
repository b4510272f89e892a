#include "training/data/volume_samples.h"

#include "inference/caiseg/caiseg_engine.h"
#include "training/data/metadata_lines.h"
#include "weights/safetensors.h"

#include <algorithm>
#include <sstream>

namespace medclick {

namespace {

// splitByGroup and readSplit read only the names, the groups and the count of a SegmentationSamples.
SegmentationSamples namesAndGroups(const VolumeSamples& samples) {
  SegmentationSamples view;
  view.images = torch::empty({static_cast<int64_t>(samples.size()), 0, 0, 0}, torch::kUInt8);
  for (const auto& c : samples) {
    view.names.push_back(c.name);
    view.groups.push_back(c.group);
  }
  return view;
}

VolumePatch cutPatch(const VolumeCase& volume, const std::array<int64_t, 3>& size, const std::array<int64_t, 3>& centre) {
  VolumePatch patch;
  auto image = volume.image, mask = volume.mask;
  std::vector<int64_t> padding(6, 0); // F::pad order: x low/high, y low/high, z low/high
  for (int64_t axis = 0; axis < 3; ++axis) {
    const int64_t extent = volume.image.size(axis);
    const int64_t origin = extent <= size[axis] ? 0 : std::clamp<int64_t>(centre[axis] - size[axis] / 2, 0, extent - size[axis]);
    const int64_t length = std::min(extent, size[axis]);
    patch.origin[static_cast<size_t>(axis)] = origin;
    image = image.narrow(axis, origin, length);
    mask = mask.narrow(axis, origin, length);
    padding[static_cast<size_t>(2 * (2 - axis) + 1)] = size[axis] - length;
  }
  namespace F = torch::nn::functional;
  const bool padded = std::any_of(padding.begin(), padding.end(), [](int64_t p) { return p > 0; });
  // replicate padding of a 3D volume wants [N, C, D, H, W] and a floating type
  patch.image = padded ? F::pad(image.to(torch::kFloat32).unsqueeze(0).unsqueeze(0), F::PadFuncOptions(padding).mode(torch::kReplicate))
                             .squeeze(0)
                             .squeeze(0)
                             .to(image.scalar_type())
                             .contiguous()
                       : image.contiguous();
  patch.mask = F::pad(mask.unsqueeze(0), F::PadFuncOptions(padding)).squeeze(0).contiguous();
  return patch;
}

} // namespace

void saveVolumeCache(const VolumeSamples& samples, const std::string& path) {
  std::map<std::string, torch::Tensor> tensors;
  std::vector<std::string> names, groups, spacings;
  for (size_t i = 0; i < samples.size(); ++i) {
    tensors["image." + std::to_string(i)] = samples[i].image.to(torch::kFloat32).contiguous();
    tensors["mask." + std::to_string(i)] = samples[i].mask.to(torch::kUInt8).contiguous();
    names.push_back(samples[i].name);
    groups.push_back(samples[i].group);
    std::ostringstream spacing;
    spacing.precision(17);
    spacing << samples[i].spacing.z << " " << samples[i].spacing.y << " " << samples[i].spacing.x;
    spacings.push_back(spacing.str());
  }
  saveSafetensors(path, tensors,
                  {{"kind", "medclick-3d-samples"}, {"names", joinLines(names)}, {"groups", joinLines(groups)}, {"spacings", joinLines(spacings)}});
}

VolumeSamples loadVolumeCache(const std::string& path) {
  auto content = loadSafetensors(path);
  if (content.metadata["kind"] != "medclick-3d-samples") throw WeightsError(path, "not a MedClick 3D sample cache");
  const auto names = splitLines(content.metadata["names"]);
  const auto groups = splitLines(content.metadata["groups"]);
  const auto spacings = splitLines(content.metadata["spacings"]);
  if (groups.size() != names.size() || spacings.size() != names.size())
    throw WeightsError(path, "3D sample cache is inconsistent (name, group and spacing counts differ)");
  VolumeSamples samples;
  for (size_t i = 0; i < names.size(); ++i) {
    const auto image = content.tensors.find("image." + std::to_string(i));
    const auto mask = content.tensors.find("mask." + std::to_string(i));
    if (image == content.tensors.end() || mask == content.tensors.end() || image->second.dim() != 3 ||
        mask->second.sizes() != image->second.sizes())
      throw WeightsError(path, "3D sample cache lacks the volume or mask of case " + names[i]);
    VolumeCase c{image->second, mask->second, {}, names[i], groups[i]};
    std::istringstream spacing(spacings[i]);
    if (!(spacing >> c.spacing.z >> c.spacing.y >> c.spacing.x)) throw WeightsError(path, "bad spacing of case " + names[i]);
    samples.push_back(std::move(c));
  }
  if (samples.empty()) throw WeightsError(path, "3D sample cache holds no case");
  return samples;
}

SampleSplit splitVolumesByGroup(const VolumeSamples& samples, double validationFraction, uint64_t seed) {
  return splitByGroup(namesAndGroups(samples), validationFraction, seed);
}

SampleSplit readVolumeSplit(const VolumeSamples& samples, const std::string& path) { return readSplit(namesAndGroups(samples), path); }

std::array<int64_t, 3> trainingPatchSize(const VolumeCase& volume, const std::array<int64_t, 3>& requested, bool anisotropic) {
  const std::array<int64_t, 3> extent{volume.image.size(0), volume.image.size(1), volume.image.size(2)};
  auto size = caisegPatchSize(extent, {volume.spacing.z, volume.spacing.y, volume.spacing.x}, anisotropic,
                              {0, static_cast<int>(requested[1]), static_cast<int>(requested[2])});
  size[0] = std::min(size[0], requested[0]);
  return size;
}

VolumePatch samplePatch(const VolumeCase& volume, const std::array<int64_t, 3>& size, double lesionProbability, std::mt19937_64& random) {
  const int64_t H = volume.image.size(1), W = volume.image.size(2);
  const bool onLesion = std::uniform_real_distribution<double>(0, 1)(random) < lesionProbability;
  int64_t index = -1;
  if (onLesion) {
    const auto lesion = volume.mask.flatten().nonzero().flatten();
    if (lesion.size(0) > 0) index = lesion[std::uniform_int_distribution<int64_t>(0, lesion.size(0) - 1)(random)].item<int64_t>();
  }
  if (index < 0) index = std::uniform_int_distribution<int64_t>(0, volume.image.numel() - 1)(random);
  return cutPatch(volume, size, {index / (H * W), (index / W) % H, index % W});
}

VolumePatch lesionCentredPatch(const VolumeCase& volume, const std::array<int64_t, 3>& size) {
  const auto voxels = volume.mask.nonzero(); // [n, 3]
  std::array<int64_t, 3> centre{volume.image.size(0) / 2, volume.image.size(1) / 2, volume.image.size(2) / 2};
  if (voxels.size(0) > 0) {
    const auto low = std::get<0>(voxels.min(0)), high = std::get<0>(voxels.max(0));
    for (int64_t axis = 0; axis < 3; ++axis) centre[static_cast<size_t>(axis)] = (low[axis].item<int64_t>() + high[axis].item<int64_t>() + 1) / 2;
  }
  return cutPatch(volume, size, centre);
}

} // namespace medclick
