#include "checkpoint/training_checkpoint.h"

#include "weights/safetensors.h"

#include <filesystem>
#include <random>

namespace medclick {

namespace fs = std::filesystem;

std::string lastWeightsPath(const std::string& folder) { return (fs::path(folder) / "last.safetensors").string(); }
std::string lastOptimizerPath(const std::string& folder) { return (fs::path(folder) / "last_optimizer.pt").string(); }

void saveTrainingCheckpoint(const std::string& folder, const torch::nn::Module& model, const torch::optim::Optimizer& optimizer,
                            const TrainingCursor& cursor, std::map<std::string, std::string> metadata) {
  // Temporary files of a writer that was killed mid-write: never read, so safe to drop.
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator(folder, ignored))
    if (entry.path().filename().string().find(".partial-") != std::string::npos) fs::remove(entry.path(), ignored);
  const std::string optimizerPath = lastOptimizerPath(folder);
  const std::string temporary = optimizerPath + ".partial-" + std::to_string(std::random_device{}());
  {
    torch::serialize::OutputArchive archive;
    optimizer.save(archive);
    archive.write("medclick_global_step", torch::tensor(static_cast<int64_t>(cursor.globalStep)));
    archive.save_to(temporary);
  }
  fs::rename(temporary, optimizerPath);
  metadata["epochs_done"] = std::to_string(cursor.epochsDone);
  metadata["global_step"] = std::to_string(cursor.globalStep);
  metadata["best_metric"] = std::to_string(cursor.bestMetric);
  metadata["best_epoch"] = std::to_string(cursor.bestEpoch);
  saveModuleWeights(model, lastWeightsPath(folder), metadata);
}

bool loadTrainingCheckpoint(const std::string& folder, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                            TrainingCursor& cursor) {
  if (!fs::exists(lastWeightsPath(folder))) return false;
  const auto content = loadSafetensors(lastWeightsPath(folder));
  loadModuleWeights(model, content, lastWeightsPath(folder));
  const auto number = [&](const char* key) {
    const auto it = content.metadata.find(key);
    if (it == content.metadata.end()) throw WeightsError(lastWeightsPath(folder), std::string("checkpoint lacks ") + key);
    return std::stod(it->second);
  };
  cursor.epochsDone = static_cast<int>(number("epochs_done"));
  cursor.globalStep = static_cast<long long>(number("global_step"));
  cursor.bestMetric = number("best_metric");
  cursor.bestEpoch = static_cast<int>(number("best_epoch"));
  if (fs::exists(lastOptimizerPath(folder))) {
    torch::serialize::InputArchive archive;
    archive.load_from(lastOptimizerPath(folder));
    torch::Tensor step;
    archive.read("medclick_global_step", step);
    if (step.item<int64_t>() == cursor.globalStep) optimizer.load(archive);
  }
  return true;
}

} // namespace medclick
