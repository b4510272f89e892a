#pragma once
// Training an automatic (clickless) 2D segmenter — KM-UNet — on the same 2D sample cache as IKAN,
// behind a torch-free API for the CLI and the GUI. Writes into outDir what the IKAN job writes:
// last.safetensors + last_optimizer.pt, best.safetensors (best validation IoU, loadable by the
// segmenter: its metadata names the model), metrics.csv, split.txt.
//
// Recipe: U-KAN's, on which KM-UNet builds (the KM-UNet report gives none): Adam lr 1e-4, weight
// decay 1e-4, cosine annealing to 1e-5 over the epochs, loss 0.5·BCE + Dice (U-KAN's BCEDiceLoss;
// bceDiceLoss with α = 1/3 up to a factor 1.5).

#include "jobs/training_progress.h"

#include <atomic>
#include <cstdint>
#include <string>

namespace medclick {

struct SegmenterTrainingOptions {
  std::string model = "kmunet";   // the only one on 2D caches for now (KANU-Net needs volumes' modalities)
  std::string cachePath;          // SampleCacheWriter's cache (medclick-cli train builds it from image folders)
  std::string outDir;
  std::string variant = "small";  // small (CPU), paper, small++, paper++
  int inputSize = 256;            // network resolution (a multiple of 32)
  std::string initWeights;        // fine-tune from these; empty: from scratch
  bool resume = false;
  int epochs = 100;
  int stepsPerEpoch = 0;          // 0: one pass over the training split
  int batchSize = 4;
  double learningRate = 1e-4;
  double minimumLearningRate = 1e-5;
  double weightDecay = 1e-4;
  double adamEpsilon = 1e-8;
  int validationLimit = 0;
  double validationFraction = 0.15;
  uint64_t seed = 42;
  std::string device = "auto";
  int threads = 0;
  bool distributedFromEnvironment = false; // as IkanTrainingOptions
  int distributedTimeoutSeconds = 300;
};

// Validation metric (TrainingProgress::validationIoU): mean IoU of the mask (probability > 0.5) at the
// network's resolution. Throws std::runtime_error / WeightsError on bad input.
TrainingSummary runSegmenterTraining(const SegmenterTrainingOptions& options, const ProgressCallback& progress,
                                     const std::atomic<bool>& cancel);

} // namespace medclick
