#include "checkpoint/training_run_record.h"

#include "weights/safetensors.h"

#include <filesystem>

namespace medclick {

namespace fs = std::filesystem;

TrainingRunRecord::TrainingRunRecord(const std::string& outDir, const std::string& metricName, TrainingCursor& cursor,
                                     const DistributedContext& context, const ProgressCallback& progress, int epochs, int64_t stepsPerEpoch,
                                     int batchSize)
    : outDir_(outDir), metricName_(metricName), cursor_(cursor), context_(context), progress_(progress), epochs_(epochs),
      stepsPerEpoch_(stepsPerEpoch), batchSize_(batchSize) {
  if (context.isMain()) { // only rank 0 writes files
    metrics_.open((fs::path(outDir) / "metrics.csv").string(), cursor.epochsDone == 0 ? std::ios::trunc : std::ios::app);
    if (cursor.epochsDone == 0) metrics_ << "epoch,train_loss," << metricName << ",seconds\n";
  }
  summary.bestEpoch = cursor.bestEpoch;
  summary.bestValidationIoU = cursor.bestMetric;
  summary.bestWeightsPath = (fs::path(outDir) / "best.safetensors").string();
}

void TrainingRunRecord::reportStep(int epoch, int64_t step, double lossSum) {
  ++cursor_.globalStep;
  ++stepsThisJob_;
  if (!progress_) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - jobStart_).count();
  TrainingProgress report;
  report.mainProcess = context_.isMain();
  report.epoch = epoch;
  report.epochs = epochs_;
  report.step = step + 1;
  report.stepsPerEpoch = stepsPerEpoch_;
  report.loss = lossSum / static_cast<double>(step + 1);
  report.samplesPerSecond = static_cast<double>(stepsThisJob_ * batchSize_) / std::max(elapsed, 1e-9);
  const double stepsLeft = static_cast<double>((epochs_ - epoch) * stepsPerEpoch_ + (stepsPerEpoch_ - step - 1));
  report.etaSeconds = stepsLeft * elapsed / static_cast<double>(stepsThisJob_);
  progress_(report);
}

bool TrainingRunRecord::finishEpoch(int epoch, double meanLoss, double metric, double seconds, torch::nn::Module& network,
                                    torch::optim::Optimizer& optimizer, const torch::Device& device,
                                    const std::map<std::string, std::string>& weightsMetadata) {
  cursor_.epochsDone = epoch;
  const bool improved = metric > cursor_.bestMetric;
  if (improved) {
    cursor_.bestMetric = metric;
    cursor_.bestEpoch = epoch;
  }
  if (context_.isMain()) {
    metrics_ << epoch << "," << meanLoss << "," << metric << "," << seconds << std::endl;
    network.to(torch::kCPU);
    if (improved) {
      auto bestMetadata = weightsMetadata;
      bestMetadata["epoch"] = std::to_string(epoch);
      bestMetadata[metricName_] = std::to_string(metric);
      saveModuleWeights(network, summary.bestWeightsPath, bestMetadata);
    }
    saveTrainingCheckpoint(outDir_, network, optimizer, cursor_, weightsMetadata);
    network.to(device);
  }
  summary.epochsRun = epoch;
  summary.bestEpoch = cursor_.bestEpoch;
  summary.bestValidationIoU = cursor_.bestMetric;
  if (progress_) {
    TrainingProgress report;
    report.mainProcess = context_.isMain();
    report.epoch = epoch;
    report.epochs = epochs_;
    report.step = stepsPerEpoch_;
    report.stepsPerEpoch = stepsPerEpoch_;
    report.loss = meanLoss;
    report.validated = true;
    report.validationIoU = metric;
    progress_(report);
  }
  return improved;
}

} // namespace medclick
