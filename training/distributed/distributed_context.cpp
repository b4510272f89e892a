#include "distributed/distributed_context.h"

#include "nn/batch_norm.h"
#include "nn/drop_path.h"

#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef MEDCLICK_WITH_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef MEDCLICK_WITH_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <thread>

namespace medclick {

namespace {

using Milliseconds = std::chrono::milliseconds;

std::string heartbeatKey(int rank) { return "medclick/heartbeat/" + std::to_string(rank); }

std::vector<uint8_t> bytesOf(const std::string& text) { return {text.begin(), text.end()}; }

bool isLoopback(const std::string& address) { return address == "localhost" || address.rfind("127.", 0) == 0; }

// Each rank writes an increasing counter into the store twice a second, on its own connection (a
// store client is not shared between threads). A rank whose counter stops has died.
class Heartbeat {
public:
  Heartbeat(const DistributedEnvironment& env) : env_(env) {
    c10d::TCPStoreOptions options;
    options.port = env.masterPort;
    options.isServer = false;
    options.waitWorkers = false;
    options.timeout = Milliseconds(5000);
    store_ = c10::make_intrusive<c10d::TCPStore>(env.masterAddress, options);
    beat(); // before the first collective, so a rank that dies early is already known
    thread_ = std::thread([this] { run(); });
  }
  ~Heartbeat() { stop(); }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  // After stop(): which other ranks no longer beat. Throws when the store itself is gone.
  std::vector<int> silentRanks() {
    const auto first = readBeats();
    std::this_thread::sleep_for(Milliseconds(2000));
    const auto second = readBeats();
    std::vector<int> silent;
    for (int r = 0; r < env_.worldSize; ++r)
      if (r != env_.rank && first[static_cast<size_t>(r)] == second[static_cast<size_t>(r)]) silent.push_back(r);
    return silent;
  }

private:
  void beat() { store_->set(heartbeatKey(env_.rank), bytesOf(std::to_string(++count_))); }

  void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, Milliseconds(500), [this] { return stopping_; })) {
      try {
        beat();
      } catch (const std::exception&) {
        return; // the store is gone (rank 0 ended or died): the collectives report it
      }
    }
  }

  std::vector<std::string> readBeats() {
    std::vector<std::string> beats;
    for (int r = 0; r < env_.worldSize; ++r) {
      const auto key = heartbeatKey(r);
      if (!store_->check({key})) {
        beats.emplace_back();
        continue;
      }
      const auto bytes = store_->get(key);
      beats.emplace_back(bytes.begin(), bytes.end());
    }
    return beats;
  }

  DistributedEnvironment env_;
  c10::intrusive_ptr<c10d::TCPStore> store_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  long long count_ = 0;
};

} // namespace

struct DistributedContext::ProcessGroupState {
  c10::intrusive_ptr<c10d::TCPStore> store;
#ifdef MEDCLICK_WITH_GLOO
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
#endif
#ifdef MEDCLICK_WITH_NCCL
  c10::intrusive_ptr<c10d::ProcessGroupNCCL> nccl;
#endif
  std::unique_ptr<Heartbeat> heartbeat;
  Milliseconds timeout{0};

  bool usesNccl() const {
#ifdef MEDCLICK_WITH_NCCL
    return static_cast<bool>(nccl);
#else
    return false;
#endif
  }

  c10::intrusive_ptr<c10d::Work> allReduce(std::vector<torch::Tensor>& one) {
#ifdef MEDCLICK_WITH_NCCL
    if (nccl) return nccl->allreduce(one);
#endif
#ifdef MEDCLICK_WITH_GLOO
    return gloo->allreduce(one);
#else
    throw std::logic_error("no process group");
#endif
  }

  c10::intrusive_ptr<c10d::Work> broadcast(std::vector<torch::Tensor>& one, const c10d::BroadcastOptions& options) {
#ifdef MEDCLICK_WITH_NCCL
    if (nccl) return nccl->broadcast(one, options);
#endif
#ifdef MEDCLICK_WITH_GLOO
    return gloo->broadcast(one, options);
#else
    throw std::logic_error("no process group");
#endif
  }

  // c10d reads a list as one tensor per device: one call per tensor, all started before any wait.
  // Gloo reduces host tensors: CUDA tensors go through copies (NCCL takes them as they are).
  template <typename Start> void run(std::vector<torch::Tensor>& tensors, Start start) {
    std::vector<torch::Tensor> staged;
    for (const auto& t : tensors) staged.push_back(usesNccl() || !t.is_cuda() ? t.contiguous() : t.to(torch::kCPU).contiguous());
    std::vector<c10::intrusive_ptr<c10d::Work>> started;
    for (auto& tensor : staged) {
      std::vector<torch::Tensor> one{tensor};
      started.push_back(start(one));
    }
    for (auto& work : started) work->wait();
    for (size_t i = 0; i < tensors.size(); ++i)
      if (!staged[i].is_same(tensors[i])) tensors[i].copy_(staged[i]);
  }
};

DistributedContext::DistributedContext() = default;

DistributedContext::DistributedContext(const DistributedEnvironment& env, const torch::Device& device, Milliseconds timeout) : env_(env) {
  if (!env.distributed()) return;
  state_ = std::make_unique<ProcessGroupState>();
  state_->timeout = timeout;
  try {
    c10d::TCPStoreOptions options;
    options.port = env.masterPort;
    options.isServer = env.isMain();
    options.numWorkers = static_cast<size_t>(env.worldSize);
    options.waitWorkers = true;
    options.timeout = timeout;
    state_->store = c10::make_intrusive<c10d::TCPStore>(env.masterAddress, options);
  } catch (const std::exception& e) {
    throw DistributedError("rank " + std::to_string(env.rank) + ": no rendezvous at " + env.masterAddress + ":" +
                           std::to_string(env.masterPort) + " within " + std::to_string(timeout.count() / 1000) +
                           " s (is rank 0 running, and MASTER_ADDR/MASTER_PORT the same everywhere?): " + e.what());
  }
  try {
    state_->heartbeat = std::make_unique<Heartbeat>(env);
#ifdef MEDCLICK_WITH_NCCL
    if (device.is_cuda()) {
      auto options = c10d::ProcessGroupNCCL::Options::create();
      options->timeout = timeout;
      state_->nccl = c10::make_intrusive<c10d::ProcessGroupNCCL>(state_->store, env.rank, env.worldSize, options);
      return;
    }
#else
    (void)device;
#endif
#ifdef MEDCLICK_WITH_GLOO
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    if (const char* interface = std::getenv("GLOO_SOCKET_IFNAME"))
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
    else if (isLoopback(env.masterAddress))
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    else
      options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    state_->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(state_->store, env.rank, env.worldSize, options);
#else
    throw std::runtime_error("this build has no Gloo backend (its headers were missing), and NCCL needs CUDA tensors");
#endif
  } catch (const std::exception& e) {
    fail("joining the process group", e);
  }
}

DistributedContext::~DistributedContext() {
  if (state_ && state_->heartbeat) state_->heartbeat->stop();
}

std::string DistributedContext::backendName() const {
  if (!state_) return "none";
  return state_->usesNccl() ? "nccl" : "gloo";
}

void DistributedContext::fail(const std::string& operation, const std::exception& error) {
  std::ostringstream message;
  message << "rank " << env_.rank << " of " << env_.worldSize << ": " << operation << " failed (" << error.what() << "). ";
  try {
    if (!state_ || !state_->heartbeat) throw std::runtime_error("no heartbeat");
    state_->heartbeat->stop();
    const auto silent = state_->heartbeat->silentRanks();
    if (silent.empty()) {
      message << "Every other rank is still alive; one may be stuck (the timeout is " << state_->timeout.count() / 1000 << " s).";
    } else {
      message << "Lost rank" << (silent.size() > 1 ? "s" : "");
      for (size_t i = 0; i < silent.size(); ++i) message << (i ? ", " : " ") << silent[i];
      message << ": its heartbeat stopped.";
    }
  } catch (const std::exception&) {
    message << "Lost rank 0: the rendezvous store it serves at " << env_.masterAddress << ":" << env_.masterPort << " is gone.";
  }
  throw DistributedError(message.str());
}

void DistributedContext::allReduceSum(std::vector<torch::Tensor>& tensors) {
  if (!state_ || tensors.empty()) return;
  try {
    state_->run(tensors, [this](std::vector<torch::Tensor>& one) { return state_->allReduce(one); });
  } catch (const DistributedError&) {
    throw;
  } catch (const std::exception& e) {
    fail("an all-reduce", e);
  }
}

void DistributedContext::broadcast(std::vector<torch::Tensor>& tensors, int root) {
  if (!state_ || tensors.empty()) return;
  c10d::BroadcastOptions options;
  options.rootRank = root;
  try {
    state_->run(tensors, [this, &options](std::vector<torch::Tensor>& one) { return state_->broadcast(one, options); });
  } catch (const DistributedError&) {
    throw;
  } catch (const std::exception& e) {
    fail("a broadcast", e);
  }
}

void DistributedContext::barrier() {
  if (!state_) return;
  std::vector<torch::Tensor> token{torch::zeros({1})};
  allReduceSum(token); // a barrier that fails the same way as the other collectives
}

double DistributedContext::sum(double value) {
  if (!state_) return value;
  std::vector<torch::Tensor> total{torch::full({1}, value, torch::kFloat64)};
  allReduceSum(total);
  return total[0].item<double>();
}

bool DistributedContext::anyTrue(bool value) { return sum(value ? 1.0 : 0.0) > 0.5; }

DistributedContext::BatchNormSynchronization::BatchNormSynchronization(DistributedContext* context) {
  if (!context || !context->distributed()) return;
  setBatchStatisticsReducer([context](torch::Tensor& tensor) {
    std::vector<torch::Tensor> one{tensor};
    context->allReduceSum(one);
  });
  active_ = true;
}

DistributedContext::BatchNormSynchronization::~BatchNormSynchronization() {
  if (active_) setBatchStatisticsReducer({});
}

DistributedContext::BatchNormSynchronization::BatchNormSynchronization(BatchNormSynchronization&& other) noexcept : active_(other.active_) {
  other.active_ = false;
}

DistributedContext::BatchNormSynchronization DistributedContext::synchronizeBatchNorm() { return BatchNormSynchronization(this); }

DistributedContext::GlobalBatchShareScope::GlobalBatchShareScope(bool active, int64_t globalBatch, int64_t begin) : active_(active) {
  if (active_) setGlobalBatchShare({globalBatch, begin});
}

DistributedContext::GlobalBatchShareScope::~GlobalBatchShareScope() {
  if (active_) setGlobalBatchShare({});
}

DistributedContext::GlobalBatchShareScope::GlobalBatchShareScope(GlobalBatchShareScope&& other) noexcept : active_(other.active_) {
  other.active_ = false;
}

DistributedContext::GlobalBatchShareScope DistributedContext::shareGlobalBatch(int64_t globalBatch, int64_t begin) {
  return GlobalBatchShareScope(distributed(), globalBatch, begin);
}

void broadcastModuleState(DistributedContext& context, torch::nn::Module& module) {
  if (!context.distributed()) return;
  torch::NoGradGuard noGrad;
  std::vector<torch::Tensor> tensors;
  for (const auto& p : module.parameters()) tensors.push_back(p.data());
  for (const auto& b : module.buffers()) tensors.push_back(b);
  context.broadcast(tensors);
}

} // namespace medclick
