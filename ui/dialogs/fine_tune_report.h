#pragma once
// What the fine-tune dialog shows of a running job and of its end, in the dialog's own terms: app/
// adapts the training layer's reports to these, so that ui/ includes nothing of training/.

#include <functional>
#include <string>

namespace medclick::ui {

struct FineTuneProgress {
  int epoch = 0, epochs = 0;             // 1-based epoch being run
  long long step = 0, stepsPerEpoch = 0; // step within the epoch (1-based)
  double loss = 0;                       // running mean of the epoch's loss so far
  double samplesPerSecond = 0;
  double etaSeconds = 0;                 // to the end of the last epoch
  bool validated = false;                // true on the report that ends an epoch
  double validationIoU = 0;
  std::string note;                      // a set-up line for the log, in a report of its own
};

struct FineTuneOutcome {
  int epochsRun = 0;
  int bestEpoch = 0;
  double bestValidationIoU = 0;
  std::string bestWeightsPath;
  bool cancelled = false;
};

using FineTuneProgressCallback = std::function<void(const FineTuneProgress&)>;

} // namespace medclick::ui
