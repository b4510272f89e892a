#pragma once
// What a training job reports while it runs (the CLI prints it; the GUI's fine-tune dialog shows
// it) and what it leaves behind. Torch-free.

#include <functional>
#include <string>

namespace medclick {

struct TrainingProgress {
  bool mainProcess = true;               // false on ranks 1.. of a data-parallel job (they stay quiet)
  int epoch = 0, epochs = 0;            // 1-based epoch being run
  long long step = 0, stepsPerEpoch = 0; // step within the epoch (1-based)
  double loss = 0;                       // running mean of the epoch's loss so far
  double samplesPerSecond = 0;
  double etaSeconds = 0;                 // to the end of the last epoch
  bool validated = false;                // true on the report that ends an epoch
  double validationIoU = 0;              // mean IoU after validationClicks simulated clicks
  // A line about how the run was set up (what `--transfer` copied), sent once in a report of its own
  // before the first step; empty on every step and epoch report.
  std::string note;
};

struct TrainingSummary {
  int epochsRun = 0;
  int bestEpoch = 0;
  double bestValidationIoU = 0;
  std::string bestWeightsPath;
  bool cancelled = false;
};

// Called on the thread that runs the job, after every step and once more at the end of each epoch.
using ProgressCallback = std::function<void(const TrainingProgress&)>;

} // namespace medclick
