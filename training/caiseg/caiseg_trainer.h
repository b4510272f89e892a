#pragma once
// The pieces of CAISeg's training loop (§III-F, §IV-B2/3) that runCaisegTraining strings together,
// exposed for tests: a batch of augmented patches, the iterative rounds with the loss on the last,
// and the validation protocol.

#include "inference/caiseg/caiseg_network.h"
#include "clicks/caiseg_click_simulator.h"
#include "training/data/volume_augmentation.h"
#include "training/data/volume_samples.h"
#include "losses/focus_guided_loss.h"

#include <torch/torch.h>

#include <array>
#include <random>
#include <vector>

namespace medclick {

struct CaisegBatch {
  torch::Tensor images;              // [B, 1, D, H, W] z-scored
  torch::Tensor targets;             // [B, D, H, W] float 0/1
  std::vector<VoxelSpacing> spacings;
};

// z-score (the paper's last preprocessing step) of a patch with the mean and standard deviation of
// its whole case, as the engine normalises the whole volume before cutting its patch; a constant
// case gives zeros.
torch::Tensor zScore(const torch::Tensor& patch, const torch::Tensor& wholeCase);

// Patches of the cases `indices` (samplePatch), augmented when `augmentation` is given. random: one
// stream per sample, so a batch split over processes draws the same patches. patchSize is the
// requested one; the batch's shape is the largest trainingPatchSize of its cases (on several ranks:
// of the rank's share, so cases of different spacings may give ranks different shapes).
CaisegBatch makeTrainingBatch(const VolumeSamples& cases, const std::vector<int64_t>& indices, const std::array<int64_t, 3>& patchSize,
                              double lesionProbability, const VolumeAugmentationOptions* augmentation, std::vector<std::mt19937_64>& random,
                              const torch::Device& device, bool anisotropic = false);

// RITM's iterative scheme as CAISeg uses it: the image is encoded once (with gradient); round one
// has the first-round prompt (firstRoundPrompt); each later round adds the error-region points of
// the previous round's binary mask, which also becomes S_p. The first rounds run without gradient;
// the last returns eq. (12)'s loss with the FG weights of all its points. random: one stream per sample.
torch::Tensor caisegIterationLoss(CaisegNetwork& network, const CaisegBatch& batch, int rounds, double mu,
                                  const CaisegClickOptions& clicks, const FocusGuidedLossOptions& loss, std::vector<std::mt19937_64>& random);

// §IV-B2's validation: per case the lesion-centred patch, round one without any point, then one
// point in the largest error region per round. Returns the sum of the cases' Dice of the binary
// mask after `rounds` rounds (divide by the case count; ranks add their shares).
double caisegValidationDiceSum(CaisegNetwork& network, const VolumeSamples& cases, const std::array<int64_t, 3>& patchSize, int rounds,
                               const torch::Device& device, bool anisotropic = false);

} // namespace medclick
