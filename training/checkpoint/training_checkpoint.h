#pragma once
// A resumable training state: the model's weights (safetensors, with the progress in its metadata)
// and the optimizer's state (LibTorch's archive, whose layout LibTorch owns across versions). Both
// are written to temporary files and renamed into place, optimizer first; each records the step it
// belongs to, so a job killed between the two renames resumes with fresh optimizer moments rather
// than mismatched ones.

#include <torch/torch.h>

#include <map>
#include <string>

namespace medclick {

struct TrainingCursor {
  int epochsDone = 0;
  long long globalStep = 0;
  double bestMetric = -1.0;
  int bestEpoch = 0;
};

void saveTrainingCheckpoint(const std::string& folder, const torch::nn::Module& model, const torch::optim::Optimizer& optimizer,
                            const TrainingCursor& cursor, std::map<std::string, std::string> metadata);

// Returns false when the folder holds no checkpoint. Throws WeightsError for a corrupt one.
bool loadTrainingCheckpoint(const std::string& folder, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                            TrainingCursor& cursor);

std::string lastWeightsPath(const std::string& folder);
std::string lastOptimizerPath(const std::string& folder);

} // namespace medclick
