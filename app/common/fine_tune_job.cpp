#include "common/fine_tune_job.h"

#include "data/labeled_dataset.h"
#include "eval/training_curves_plot.h"
#include "io/image_reader.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace medclick::app {

namespace fs = std::filesystem;

std::vector<std::string> fineTunableModels() { return {"ikan"}; }

std::string trainingCurvesPath(const std::string& outDir) { return (fs::path(outDir) / "curves.png").string(); }

int buildTrainingCache(const std::vector<std::string>& dataFolders, const std::string& cachePath, int label, int cacheSize,
                       const std::atomic<bool>& cancel) {
  SampleCacheWriter writer(cacheSize);
  int skippedEmpty = 0, skipped3d = 0;
  for (const auto& folder : dataFolders) {
    const LabeledDataset dataset = scanLabeledDataset(folder);
    spdlog::info("{}: {} layout, {} labeled cases", folder, dataset.layout, dataset.cases.size());
    for (const auto& labeledCase : dataset.cases) {
      if (cancel.load()) return -1;
      const Image image = readImage(labeledCase.imagePath).toIntensity();
      if (image.geometry().dimension != 2) {
        ++skipped3d;
        continue;
      }
      const LabelMask mask = readCaseMask(labeledCase, image.geometry(), label);
      if (mask.countNonZero() == 0) {
        ++skippedEmpty;
        continue;
      }
      writer.add(labeledCase.name, labeledCase.group, static_cast<int>(image.geometry().size[0]),
                 static_cast<int>(image.geometry().size[1]), image.voxels().data(), mask.labels().data());
    }
  }
  spdlog::info("cache {}: {} cases; skipped {} with an empty mask, {} 3D volumes (IKAN is 2D)", cachePath, writer.count(),
               skippedEmpty, skipped3d);
  if (writer.count() == 0)
    throw std::runtime_error("no 2D case with a non-empty mask in the data given (" + std::to_string(skippedEmpty) + " empty, " +
                             std::to_string(skipped3d) + " 3D)");
  writer.write(cachePath);
  return writer.count();
}

TrainingSummary runFineTuneJob(const FineTuneJobOptions& options, const ProgressCallback& progress, const std::atomic<bool>& cancel) {
  const auto models = fineTunableModels();
  if (std::find(models.begin(), models.end(), options.model) == models.end())
    throw std::invalid_argument("unknown model '" + options.model + "' for fine-tuning (available: ikan)");
  if (options.training.outDir.empty()) throw std::invalid_argument("no output folder given for the training run");

  IkanTrainingOptions training = options.training;
  fs::create_directories(training.outDir);
  if (training.cachePath.empty()) training.cachePath = (fs::path(training.outDir) / "cases.safetensors").string();
  if (!options.dataFolders.empty()) {
    if (buildTrainingCache(options.dataFolders, training.cachePath, options.label, options.cacheSize, cancel) < 0) {
      TrainingSummary cancelled;
      cancelled.cancelled = true;
      return cancelled;
    }
  } else if (!fs::exists(training.cachePath)) {
    throw std::invalid_argument("give a labeled data folder or an existing tensor cache (" + training.cachePath + " does not exist)");
  }

  const std::string metricsPath = (fs::path(training.outDir) / "metrics.csv").string(); // where the trainer appends each epoch
  const std::string curvesPath = trainingCurvesPath(training.outDir);
  return runIkanTraining(
      training,
      [&](const TrainingProgress& report) {
        if (report.validated) {
          // The plot is a view of metrics.csv: failing to draw it is reported and must not end hours of training.
          try {
            writeTrainingCurvesPlot(metricsPath, curvesPath);
          } catch (const std::exception& e) {
            spdlog::warn("curves.png not updated: {}", e.what());
          }
        }
        if (progress) progress(report);
      },
      cancel);
}

} // namespace medclick::app
