#pragma once
// Training the automatic (clickless) 2D segmenters behind a torch-free API for the CLI and the GUI.
// Writes into outDir what the IKAN job writes: last.safetensors + last_optimizer.pt,
// best.safetensors (best validation metric, loadable by the segmenter: its metadata names the
// model), metrics.csv, split.txt.
//
// KM-UNet: U-KAN's recipe, on which KM-UNet builds (the KM-UNet report gives none), on IKAN's 2D
// cache: Adam lr 1e-4, weight decay 1e-4, cosine annealing to 1e-5 over the epochs, loss
// 0.5·BCE + Dice (U-KAN's BCEDiceLoss; bceDiceLoss with α = 1/3 up to a factor 1.5), IKAN's
// augmentation. Validation: mean IoU of the mask (probability > 0.5) at the network's resolution.
//
// KANU-Net (kanu-net-small-samples-brain-mri.md) on a slice cache (SliceCacheWriter): AdamW lr 1e-4,
// weight decay 1e-6, cosine annealing with warm restarts, batch 2, loss 0.2·BCE + 0.8·Dice per class,
// 90° rotations and shifts. Validation: the paper's model-selection metric, the mean over the
// classes (WT, TC, ET) of the Dice pooled over the validation slices.

#include "jobs/training_progress.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace medclick {

struct SegmenterTrainingOptions {
  std::string model = "kmunet";   // "kmunet" (IKAN's 2D cache) or "kanunet" (a slice cache)
  std::string cachePath;          // SampleCacheWriter's or SliceCacheWriter's cache (medclick-cli train builds it)
  std::string outDir;
  std::string variant = "small";  // KM-UNet: small (CPU), paper, small++, paper++; KANU-Net: small, paper
  int inputSize = 256;            // KM-UNet's network resolution (a multiple of 32); KANU-Net: the cache's crop
  std::string initWeights;        // fine-tune from these; empty: from scratch
  std::string transferWeights;    // start from every tensor of this file with the same name and shape
                                  // (weights/weight_transfer.h: KM-UNet small from the bundled IKAN)
  bool resume = false;
  int epochs = 100;
  int stepsPerEpoch = 0;          // 0: one pass over the training split
  int batchSize = 4;              // KANU-Net's paper: 2
  double learningRate = 1e-4;
  double minimumLearningRate = 1e-5; // KANU-Net: 1e-6 (the paper's "1e-3" is above its own initial rate)
  double weightDecay = 1e-4;         // KANU-Net: 1e-6
  double adamEpsilon = 1e-8;
  int restartEveryEpochs = 10;       // KANU-Net's warm restarts: T_0 in epochs (T_mult 1; the paper gives none)
  std::vector<double> gamma;         // KANU-Net: one per modality (the paper's 1.2 FLAIR, 1.5 T1c); empty: 1
  int validationLimit = 0;
  double validationFraction = 0.15;
  std::string splitPath;             // follow this split.txt (e.g. the bundled IKAN's, so that both models
                                     // validate on cases neither trained on); cases it does not list train
  uint64_t seed = 42;
  std::string device = "auto";
  int threads = 0;
  bool distributedFromEnvironment = false; // as IkanTrainingOptions
  int distributedTimeoutSeconds = 300;

  // KANU-Net's paper recipe on top of these defaults (batch 2, AdamW 1e-4 / 1e-6, minimum 1e-6).
  static SegmenterTrainingOptions kanunetRecipe();
};

// TrainingProgress::validationIoU carries the model's validation metric (above). Throws
// std::runtime_error / WeightsError on bad input.
TrainingSummary runSegmenterTraining(const SegmenterTrainingOptions& options, const ProgressCallback& progress,
                                     const std::atomic<bool>& cancel);

// The learning rate of an epoch (1-based): cosine annealing from learningRate to minimumLearningRate,
// over the whole run for KM-UNet (U-KAN's CosineAnnealingLR), over each cycle of restartEveryEpochs for
// KANU-Net (SGDR's warm restarts, T_mult 1): η = η_min + ½(η_max − η_min)(1 + cos(π·T_cur/T_i)).
double segmenterLearningRate(const SegmenterTrainingOptions& options, int epoch);

// Builds KANU-Net's cache of 2D slices; torch-free so the decoding (core/, ITK) stays apart. Each
// slice is cut to the brain-centred crop the segmenter uses (kanunet/kanunet_preprocessing.h).
class SliceCacheWriter {
public:
  explicit SliceCacheWriter(int cropSize = 224);
  ~SliceCacheWriter();
  SliceCacheWriter(const SliceCacheWriter&) = delete;
  SliceCacheWriter& operator=(const SliceCacheWriter&) = delete;
  // planes: `channels` modality planes of width*height values each (width fastest); classMasks:
  // `classes` planes of the same size, non-zero = in the class. Every slice of a cache has the same
  // channels and classes (std::invalid_argument otherwise).
  void add(const std::string& name, const std::string& group, int width, int height, int channels, const float* planes, int classes,
           const uint8_t* classMasks);
  int count() const;
  int cropSize() const;
  void write(const std::string& path) const;

private:
  struct Data;
  Data* data_;
};

} // namespace medclick
