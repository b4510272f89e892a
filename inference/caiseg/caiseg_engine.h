#pragma once
// CAISeg behind the SegmentationEngine interface (3D, clicks or none, one channel): the whole volume is normalised once; each
// refinement runs the network on one patch around the clicks and writes the patch's probability back
// into the full-size map. Torch-free, so core/ and app/ include it without torch headers.
//
// Normalisation (normalizeForCaiseg): intensities clipped to their 0.5 and 99.5 percentiles, then
// z-scored over the whole volume. The paper z-scores its MRI and clips its CT to exactly these
// percentiles (§IV-A); doing both is robust to CT's air and metal and to MRI's arbitrary scale.
//
// Patches (caisegPatchSize, placeCaisegPatch): see caiseg_engine.cpp's top comment. In short:
//   size      128 × 128 in-plane; the depth covers about the same millimetres (128·s_xy / s_z voxels,
//             rounded up to the network's depth step, 16 or 8 when anisotropic, within [16, 64]), so
//             1.5 mm isotropic MRI gets 64×128×128 and 0.8/2.5 mm CT 48×128×128 (the paper's patches);
//             an axis where the volume is smaller shrinks to the next step above it and is padded
//   place     around the newest click and as many earlier clicks (newest first) as fit, centred on
//             their bounding box, clamped inside the volume
//   reuse     while each new click falls in the cached patch (at least 1/8 of the patch from a face
//             that is not the volume's border) the patch stays and only refine() runs
//   no clicks the automatic first round tiles the whole volume with patches (overlaps averaged)
//
// The network sees only the clicks inside its patch; S_p is the previous probability cropped to the
// patch and binarised at 0.5 (the paper's S_p is the previous round's binary mask, §III-F). Voxels
// outside the patch keep the previous probability (0 in round one).

#include "engine/segmentation_engine.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace medclick {

struct CaisegEngineOptions {
  std::string weightsPath;            // safetensors; its metadata names the variant and anisotropy
  std::string device = "auto";        // auto, cpu, cuda, cuda:N
  int threads = 0;                    // CPU threads; 0 = all cores
  std::array<int, 3> patch{0, 0, 0};  // D, H, W voxels; 0 = from the spacing (see above)
  // Without weights the engine refuses to start; tests may ask for random ones.
  bool randomWeightsForTesting = false;
  std::string variant = "slim";       // only with random weights (a weights file names its own)
  bool anisotropic = false;           // only with random weights
};

// A patch in the volume, in tensor order (z = slice k, y = row j, x = column i). `size` is what the
// network sees; `start + size` may pass the volume's end (those voxels are padding).
struct CaisegPatch {
  std::array<int64_t, 3> start{0, 0, 0};
  std::array<int64_t, 3> size{0, 0, 0};

  bool operator==(const CaisegPatch& other) const { return start == other.start && size == other.size; }
  bool contains(double z, double y, double x) const;
};

// The patch size for a volume. volumeSize and spacing in tensor order (z, y, x); requested D, H, W
// (0 = automatic per axis) are rounded up to the network's steps (16, or 8 in depth when anisotropic);
// an automatic depth covers the in-plane size's millimetres (training shapes its patches with it too).
std::array<int64_t, 3> caisegPatchSize(const std::array<int64_t, 3>& volumeSize, const std::array<double, 3>& spacing,
                                       bool anisotropic, const std::array<int, 3>& requested = {0, 0, 0});

// Where a patch of `size` goes for these clicks (voxel positions in (z, y, x), the last one newest).
CaisegPatch placeCaisegPatch(const std::vector<std::array<double, 3>>& clicks, const std::array<int64_t, 3>& size,
                             const std::array<int64_t, 3>& volumeSize);

// Clips to the 0.5/99.5 percentiles and z-scores, in place (training uses the same function).
void normalizeForCaiseg(std::vector<float>& voxels);

// The engine with what its tests look at.
class CaisegEngine : public SegmentationEngine {
public:
  virtual CaisegPatch lastPatch() const = 0;        // the patch of the last refinement (the last tile without clicks)
  virtual std::size_t encodeCount() const = 0;      // how many times the encoder ran (cache misses)
  virtual std::array<int64_t, 3> patchSize() const = 0; // (z, y, x) for the current volume
};

EngineCapabilities caisegCapabilities(); // 3D, clicks or none (the tiled automatic round), one channel

// Throws WeightsError for a missing or mismatching weights file, std::invalid_argument otherwise.
std::unique_ptr<CaisegEngine> createCaisegEngine(const CaisegEngineOptions& options);

} // namespace medclick
