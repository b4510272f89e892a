#pragma once
// How the command-line trainers (medclick-cli train, and medclick-train where only LibTorch is
// installed) print a training job's reports on stderr: a note as it comes, a step line every 25 steps
// (every step on a terminal, overwriting itself), and one line per epoch with the validation metric.
// Rank 0 alone prints for a data-parallel job. Torch-free.

#include "jobs/training_progress.h"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace medclick {

// H:MM:SS.
inline std::string formatDuration(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return text;
}

// What TrainingProgress::validationIoU holds for each model (see the training jobs' headers).
inline std::string validationMetricName(const std::string& model, int ikanValidationClicks, int caisegRounds) {
  if (model == "caiseg") return "validation Dice after " + std::to_string(caisegRounds) + " rounds";
  if (model == "kmunet") return "validation IoU (no clicks)";
  if (model == "kanunet") return "validation mean Dice (WT, TC, ET or the class)";
  return "validation mIoU@" + std::to_string(ikanValidationClicks);
}

inline ProgressCallback stderrProgressPrinter(const std::string& metric) {
  const bool terminal = isatty(fileno(stderr));
  const char* rewind = terminal ? "\r\033[K" : "";
  return [metric, terminal, rewind](const TrainingProgress& r) {
    if (!r.mainProcess) return;
    if (!r.note.empty()) {
      std::fprintf(stderr, "%s%s\n", rewind, r.note.c_str());
    } else if (r.validated) {
      std::fprintf(stderr, "%sepoch %d/%d  loss %.4f  %s %.4f\n", rewind, r.epoch, r.epochs, r.loss, metric.c_str(), r.validationIoU);
    } else if (terminal || r.step % 25 == 0) {
      std::fprintf(stderr, "%sepoch %d/%d  step %lld/%lld  loss %.4f  %.2f samples/s  ETA %s%s", rewind, r.epoch, r.epochs, r.step,
                   r.stepsPerEpoch, r.loss, r.samplesPerSecond, formatDuration(r.etaSeconds).c_str(), terminal ? "" : "\n");
    }
  };
}

} // namespace medclick
