#pragma once
// Training CAISeg (3D, clicks simulated as §III-F) behind a torch-free API for the CLI and the GUI.
// Writes into outDir: last.safetensors + last_optimizer.pt (every epoch, atomically: the resume
// point), best.safetensors (best validation Dice so far, with caisegWeightsMetadata: loadable by the
// engine), metrics.csv (epoch, train loss, validation Dice after 3 rounds, seconds), split.txt.
// TrainingProgress::validationIoU and TrainingSummary::bestValidationIoU carry the mean validation
// Dice for this model (the metric CAISeg's paper reports).

#include "jobs/training_progress.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace medclick {

struct CaisegTrainingOptions {
  std::string cachePath;                      // 3D sample cache (VolumeCacheWriter; medclick-cli train builds it)
  std::string outDir;
  std::string variant = "slim";               // slim (CPU) or paper (V-Net widths, GPU)
  int baseWidth = 0;                          // V-Net width w; 0: the variant's (slim 8, paper 16)
  bool anisotropic = false;                   // F keeps every slice (coarse slice axis data)
  std::array<int, 3> patchSize{64, 96, 96};   // D, H, W in voxels (multiples of 16); smaller volumes are padded
  double lesionPatchProbability = 0.8;        // a patch centred on a lesion voxel, else anywhere
  std::string initWeights;                    // fine-tune from these (safetensors); empty: from scratch
  bool resume = false;                        // continue from outDir/last.* with the same optimizer state
  int epochs = 200;                           // §IV-B3's second stage
  int stepsPerEpoch = 0;                      // 0: one pass over the training split
  int batchSize = 2;                          // §IV-B3
  double learningRate = 1e-3;                 // Adam (§IV-B3)
  double weightDecay = 1e-4;                  // L2 regularisation (§IV-B3)
  double adamEpsilon = 1e-8;                  // Adam's default
  int decayEveryEpochs = 0;                   // step decay: ×decayFactor every N epochs; 0: every epochs/4
  double decayFactor = 0.5;
  int rounds = 3;                             // simulated rounds per batch; the loss is on the last (§IV-B2)
  bool augment = true;                        // §IV-A's flips, noise, affine, bias field
  int validationLimit = 0;                    // 0: the whole validation split
  double validationFraction = 0.15;
  uint64_t seed = 42;
  std::string device = "auto";
  int threads = 0;
  // Data parallelism, as IkanTrainingOptions: batchSize is the global batch, split over the ranks.
  bool distributedFromEnvironment = false;
  int distributedTimeoutSeconds = 300;
};

// Runs until the last epoch or cancel (checked after every step; the last finished epoch is kept).
// Throws WeightsError / std::runtime_error on bad input.
TrainingSummary runCaisegTraining(const CaisegTrainingOptions& options, const ProgressCallback& progress,
                                  const std::atomic<bool>& cancel);

// Builds a 3D sample cache from decoded volumes; torch-free so the decoding (core/, ITK) stays apart.
// Each case is resampled so that no axis is finer than minimumSpacing mm (the paper works at 1.5 mm
// on brain MRI; a coarse slice axis is kept as it is), its intensities clipped to the 0.5–99.5th
// percentiles and scaled to [0, 1] (the bias-field augmentation multiplies non-negative values; the
// trainer z-scores each patch after augmenting, as the paper does).
class VolumeCacheWriter {
public:
  explicit VolumeCacheWriter(double minimumSpacing = 0.0); // 0: keep the native spacing
  ~VolumeCacheWriter();
  VolumeCacheWriter(const VolumeCacheWriter&) = delete;
  VolumeCacheWriter& operator=(const VolumeCacheWriter&) = delete;
  // voxels: x fastest, then y, then z (ITK's order), sizeX*sizeY*sizeZ intensities; mask: same
  // layout, non-zero = lesion; spacing in mm along x, y, z.
  void add(const std::string& name, const std::string& group, int sizeX, int sizeY, int sizeZ, const std::array<double, 3>& spacingXyz,
           const float* voxels, const uint8_t* mask);
  int count() const;
  void write(const std::string& path) const;

private:
  struct Data;
  Data* data_;
};

} // namespace medclick
