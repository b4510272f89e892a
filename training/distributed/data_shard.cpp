#include "distributed/data_shard.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

namespace medclick {

namespace {

uint64_t splitMix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

} // namespace

BatchShard batchShard(int64_t globalBatch, int rank, int worldSize) {
  if (worldSize < 1 || rank < 0 || rank >= worldSize) throw std::invalid_argument("batchShard: rank outside 0..world size - 1");
  if (globalBatch < worldSize || globalBatch % worldSize != 0)
    throw std::invalid_argument("the batch (" + std::to_string(globalBatch) + ") must be a multiple of the number of processes (" +
                                std::to_string(worldSize) + "): each process takes an equal share");
  const int64_t share = globalBatch / worldSize;
  return {rank * share, share};
}

std::vector<int64_t> epochOrder(int64_t count, uint64_t seed, int epoch) {
  std::vector<int64_t> order(static_cast<size_t>(count));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 random(splitMix(seed ^ splitMix(static_cast<uint64_t>(epoch))));
  std::shuffle(order.begin(), order.end(), random);
  return order;
}

std::vector<int64_t> shardBatchIndices(const std::vector<int64_t>& order, int64_t step, int64_t globalBatch, const BatchShard& shard) {
  if (order.empty()) throw std::invalid_argument("shardBatchIndices: no training cases");
  std::vector<int64_t> indices;
  const auto n = static_cast<int64_t>(order.size());
  for (int64_t p = shard.begin; p < shard.begin + shard.count; ++p) indices.push_back(order[static_cast<size_t>((step * globalBatch + p) % n)]);
  return indices;
}

std::vector<int64_t> validationShard(int64_t count, int rank, int worldSize) {
  std::vector<int64_t> mine;
  for (int64_t i = rank; i < count; i += worldSize) mine.push_back(i);
  return mine;
}

uint64_t sampleSeed(uint64_t seed, int epoch, int64_t step, int64_t position) {
  uint64_t h = splitMix(seed);
  h = splitMix(h ^ static_cast<uint64_t>(epoch));
  h = splitMix(h ^ static_cast<uint64_t>(step));
  return splitMix(h ^ static_cast<uint64_t>(position));
}

} // namespace medclick
