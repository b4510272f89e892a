#pragma once
// 3D training cases as tensors, decoded once (VolumeCacheWriter) into a safetensors "tensor cache"
// that a LibTorch-only machine trains from: per case the volume ([D, H, W] float in [0, 1]), the
// lesion mask ([D, H, W] uint8 0/1), the voxel spacing, a name and a group (one patient's cases stay
// in one split). Cases keep their own sizes; the trainer cuts patches from them.

#include "inference/caiseg/caiseg_prompt.h"
#include "training/data/segmentation_samples.h"

#include <torch/torch.h>

#include <array>
#include <random>
#include <string>
#include <vector>

namespace medclick {

struct VolumeCase {
  torch::Tensor image; // [D, H, W] float
  torch::Tensor mask;  // [D, H, W] uint8 0/1
  VoxelSpacing spacing;
  std::string name, group;
};

using VolumeSamples = std::vector<VolumeCase>;

void saveVolumeCache(const VolumeSamples& samples, const std::string& path);
VolumeSamples loadVolumeCache(const std::string& path); // throws WeightsError on a bad file

// The same seeded, dataset-stratified split by group as the 2D cache's splitByGroup, and the same
// split.txt reader (a resumed run keeps its split).
SampleSplit splitVolumesByGroup(const VolumeSamples& samples, double validationFraction, uint64_t seed);
SampleSplit readVolumeSplit(const VolumeSamples& samples, const std::string& path);

// The patch a case is trained on: the engine's own shape (caisegPatchSize) for the requested in-plane
// size, with at most the requested depth. A fixed 64×96×96 patch on a 23-slice MRI of 6.5 mm slices was
// two-thirds padding, while the engine shows the network 16 real slices there; trained that way the
// network marked whole patches.
std::array<int64_t, 3> trainingPatchSize(const VolumeCase& volume, const std::array<int64_t, 3>& requested, bool anisotropic = false);

// A patch of `size` (D, H, W) cut from a case: with probability lesionProbability centred on a lesion
// voxel drawn uniformly (when the case has one), otherwise on any voxel; kept inside the volume where
// it fits, padded at the far end where the volume is smaller: the image by repeating its border voxels
// (as the engine pads), the mask with background.
struct VolumePatch {
  torch::Tensor image, mask;        // [D, H, W]
  std::array<int64_t, 3> origin{};  // of the patch in the case's voxels (z, y, x)
};
VolumePatch samplePatch(const VolumeCase& volume, const std::array<int64_t, 3>& size, double lesionProbability,
                        std::mt19937_64& random);
// The patch centred on the lesion's bounding box (validation: deterministic).
VolumePatch lesionCentredPatch(const VolumeCase& volume, const std::array<int64_t, 3>& size);

} // namespace medclick
