#pragma once
// Which samples a rank trains and validates on, as PyTorch's DistributedSampler decides it: every
// rank draws the same seeded permutation of the training cases each epoch; step s's global batch is
// order[s·B … s·B + B − 1] (wrapping around), and rank r computes the contiguous share
// [r·B/W, (r+1)·B/W) of it. One epoch of ⌊N/B⌋ steps therefore shows each case at most once across
// all ranks, and exactly once when B divides N. The randomness of each sample (augmentation,
// simulated clicks) comes from (seed, epoch, step, position in the global batch), so W ranks with
// B/W samples each compute exactly what one process with B samples computes.

#include <cstdint>
#include <vector>

namespace medclick {

struct BatchShard {
  int64_t begin = 0; // first position in the global batch
  int64_t count = 0;
};

// Throws std::invalid_argument unless worldSize divides globalBatch.
BatchShard batchShard(int64_t globalBatch, int rank, int worldSize);

// The epoch's permutation of 0..count-1; the same on every rank.
std::vector<int64_t> epochOrder(int64_t count, uint64_t seed, int epoch);

// The training-case indices of this rank's share of step `step`'s global batch.
std::vector<int64_t> shardBatchIndices(const std::vector<int64_t>& order, int64_t step, int64_t globalBatch, const BatchShard& shard);

// Validation cases of this rank: i ≡ rank (mod worldSize). Every case once over all ranks.
std::vector<int64_t> validationShard(int64_t count, int rank, int worldSize);

// Seeds one sample's random stream (SplitMix64 over the four numbers).
uint64_t sampleSeed(uint64_t seed, int epoch, int64_t step, int64_t position);

} // namespace medclick
