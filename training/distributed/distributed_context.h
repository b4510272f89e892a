#pragma once
// The process group of a data-parallel training job, through PyTorch's own distributed engine
// (c10d): a TCPStore rendezvous served by rank 0, then Gloo on CPU or NCCL on CUDA (when this
// LibTorch has it). A one-process context makes every collective the identity, so the trainers
// run the same code either way.
//
// A collective that fails — a peer died, or nothing arrived within the timeout — throws
// DistributedError; its message names the ranks whose heartbeat stopped (each rank beats into the
// store every half second), so a lost rank is named rather than left to a hang.

#include "distributed/distributed_environment.h"

#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace medclick {

class DistributedError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class DistributedContext {
public:
  // One process.
  DistributedContext();
  // Joins the job described by env (blocks until every rank arrives, or throws after timeout).
  DistributedContext(const DistributedEnvironment& env, const torch::Device& device, std::chrono::milliseconds timeout);
  ~DistributedContext();
  DistributedContext(const DistributedContext&) = delete;
  DistributedContext& operator=(const DistributedContext&) = delete;

  int rank() const { return env_.rank; }
  int worldSize() const { return env_.worldSize; }
  bool isMain() const { return env_.isMain(); }
  bool distributed() const { return env_.distributed(); }
  std::string backendName() const; // "none", "gloo" or "nccl"

  // In place. Tensors may live on any device; Gloo reduces CUDA tensors through host copies.
  void allReduceSum(std::vector<torch::Tensor>& tensors);
  void broadcast(std::vector<torch::Tensor>& tensors, int root = 0);
  void barrier();
  double sum(double value);
  bool anyTrue(bool value); // e.g. "some rank was asked to stop"

  // While the returned guard lives, BatchNorm layers in training mode normalise with the global
  // batch's statistics (nn/batch_norm.h). A no-op for one process.
  class BatchNormSynchronization {
  public:
    explicit BatchNormSynchronization(DistributedContext* context);
    ~BatchNormSynchronization();
    BatchNormSynchronization(BatchNormSynchronization&& other) noexcept;
    BatchNormSynchronization(const BatchNormSynchronization&) = delete;
    BatchNormSynchronization& operator=(const BatchNormSynchronization&) = delete;

  private:
    bool active_ = false;
  };
  BatchNormSynchronization synchronizeBatchNorm();

  // While the returned guard lives, drop path draws for the whole global batch and keeps this
  // rank's share (nn/drop_path.h). A no-op for one process.
  class GlobalBatchShareScope {
  public:
    GlobalBatchShareScope(bool active, int64_t globalBatch, int64_t begin);
    ~GlobalBatchShareScope();
    GlobalBatchShareScope(GlobalBatchShareScope&& other) noexcept;
    GlobalBatchShareScope(const GlobalBatchShareScope&) = delete;
    GlobalBatchShareScope& operator=(const GlobalBatchShareScope&) = delete;

  private:
    bool active_ = false;
  };
  GlobalBatchShareScope shareGlobalBatch(int64_t globalBatch, int64_t begin);

private:
  struct ProcessGroupState;
  [[noreturn]] void fail(const std::string& operation, const std::exception& error);

  DistributedEnvironment env_;
  std::unique_ptr<ProcessGroupState> state_;
};

// Makes every rank's module equal to rank 0's (parameters and buffers): the same start everywhere.
void broadcastModuleState(DistributedContext& context, torch::nn::Module& module);

} // namespace medclick
