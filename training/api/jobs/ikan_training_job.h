#pragma once
// Training IKAN with simulated clicks, behind a torch-free API for the CLI and the GUI.
// Writes into outDir: last.safetensors + last_optimizer.pt (every epoch, atomically: resume point),
// best.safetensors (best validation mIoU so far, loadable by the engine), metrics.csv, split.txt.

#include "jobs/training_progress.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace medclick {

struct IkanTrainingOptions {
  std::string cachePath;          // sample cache (medclick-cli train builds it from image folders)
  std::string outDir;
  std::string variant = "small";
  int inputSize = 256;            // network resolution (a multiple of 32)
  std::string initWeights;        // fine-tune from these (safetensors); empty: from scratch
  bool resume = false;            // continue from outDir/last.* with the same optimizer state
  int epochs = 50;
  int stepsPerEpoch = 0;          // 0: one pass over the training split
  int batchSize = 4;
  double learningRate = 5e-4;     // Adam, β 0.9/0.999, ε 1e-8 (IKAN §3)
  double kanLearningRate = 1e-2;  // U-KAN's recipe for the KAN layers
  double adamEpsilon = 1e-8;      // IKAN §3; larger values make a step a smooth function of tiny gradients
  std::vector<int> milestones;    // MultiStepLR epochs (×0.1 each); empty: at 2/3 of the epochs
  int gradientRounds = 3;         // rounds with gradient, weighted W_t = 1..T (eq. 1)
  int maxNoGradientRounds = 3;    // 0..this many click rounds without gradient first
  double automaticStartShare = 0.0; // share of samples whose X_prev before the first click is a simulated
                                    // automatic mask (so --init kmunet's round one is seen in training)
  int validationClicks = 5;
  int validationLimit = 0;        // 0: the whole validation split
  double validationFraction = 0.15;
  std::string splitPath;          // follow this split.txt (e.g. the bundled IKAN's, when a fine-tune adds
                                  // data): its validation cases stay validation, unlisted cases train
  uint64_t seed = 42;
  std::string device = "auto";
  int threads = 0;
  int patience = 0;               // early stopping after this many epochs without improvement; 0: off
  // Data parallelism: read RANK/WORLD_SIZE/... (torchrun's variables) and train as that rank when
  // WORLD_SIZE > 1. batchSize is then the global batch, split equally over the ranks.
  bool distributedFromEnvironment = false;
  int distributedTimeoutSeconds = 300; // a rank that waits longer for the others fails, naming the lost rank
};

// Runs until the last epoch, early stopping or cancel (checked after every step; the state is saved
// before returning). Throws WeightsError / std::runtime_error on bad input.
TrainingSummary runIkanTraining(const IkanTrainingOptions& options, const ProgressCallback& progress,
                                const std::atomic<bool>& cancel);

// Builds a sample cache from decoded cases; torch-free so the data loading (core/, ITK) stays apart.
class SampleCacheWriter {
public:
  explicit SampleCacheWriter(int cacheSize = 288);
  ~SampleCacheWriter();
  // pixels: width*height grey intensities (any range); mask: width*height, non-zero = object.
  void add(const std::string& name, const std::string& group, int width, int height, const float* pixels,
           const uint8_t* mask);
  int count() const;
  void write(const std::string& path) const;

private:
  struct Data;
  Data* data_;
};

} // namespace medclick
