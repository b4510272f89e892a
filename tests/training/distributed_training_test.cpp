// Data-parallel training over c10d/Gloo on 127.0.0.1: the torchrun variables, DistributedSampler-
// style shards, bucketed gradient averaging, synchronised BatchNorm, and the checks — two
// processes with half the batch each reach the weights of one process with the whole batch (IKAN
// and CAISeg), a distributed job resumes with another number of processes, and a killed rank is
// named while the last checkpoint still loads.
//
// The test binary is also the worker the launcher starts: `--worker ...` runs one rank of a job.

#include "support/scratch_folder.h"
#include "support/torch_test.h"
#include "support/training_fixtures.h"

#include "inference/caiseg/caiseg_network.h"
#include "checkpoint/training_checkpoint.h"
#include "distributed/data_shard.h"
#include "distributed/distributed_context.h"
#include "distributed/distributed_environment.h"
#include "distributed/gradient_averager.h"
#include "distributed/local_launcher.h"
#include "inference/ikan/ikan_network.h"
#include "jobs/caiseg_training_job.h"
#include "jobs/ikan_training_job.h"
#include "nn/batch_norm.h"
#include "weights/safetensors.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

using namespace medclick;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  static const test::ScratchFolder folder("medclick-distributed");
  return folder / name;
}

std::string discCache() {
  static const std::string path = test::writeDiscCache(scratch("discs.safetensors"));
  return path;
}

std::string ballCache() {
  static const std::string path = test::writeBallCache(scratch("balls.safetensors"));
  return path;
}

// Adam's step is lr·m̂/(√v̂ + ε). With the recipes' ε = 1e-8, an element whose gradient is a float
// rounding away from zero steps by ±lr whichever way the rounding falls, and two processes round
// their sums differently from one (measured: ~1 % of IKAN's elements after one step, by 2·lr; the
// side branch sees an all-zero previous mask in round one, so BatchNorm of a constant channel
// turns rounding into such gradients). A larger ε makes the step a smooth function of the
// gradient, so equal gradients give equal weights, while a wrong gradient still moves them by far
// more than the 1e-4 tolerance (the tests check that the weights moved).
constexpr double kAdamEpsilon = 1e-2;

// What one job runs, on one or several ranks (the worker gets the same numbers on its command line).
struct JobSpec {
  std::string model = "ikan";
  std::string out;
  int epochs = 1, batch = 4, steps = 5;
  bool resume = false;
  int dieRank = -1, dieEpoch = 0, dieStep = 0; // SIGKILL this rank at that point (failure test)
  int stopAtEpoch = 0;                         // ask every rank to stop when this epoch starts
  // Later click rounds go where the network is wrong, so a float rounding that flips one pixel
  // moves a click and the runs part ways (as two one-process runs with other thread counts would).
  // The comparisons use the first round only: its clicks depend on the ground truth alone.
  bool firstRoundOnly = true;

  std::vector<std::string> arguments() const {
    return {"--worker", model, out, std::to_string(epochs), std::to_string(batch), std::to_string(steps), resume ? "1" : "0",
            std::to_string(dieRank), std::to_string(dieEpoch), std::to_string(dieStep), std::to_string(stopAtEpoch),
            firstRoundOnly ? "1" : "0"};
  }
  static JobSpec parse(char** argv) {
    JobSpec s;
    s.model = argv[2];
    s.out = argv[3];
    s.epochs = std::stoi(argv[4]);
    s.batch = std::stoi(argv[5]);
    s.steps = std::stoi(argv[6]);
    s.resume = std::string(argv[7]) == "1";
    s.dieRank = std::stoi(argv[8]);
    s.dieEpoch = std::stoi(argv[9]);
    s.dieStep = std::stoi(argv[10]);
    s.stopAtEpoch = std::stoi(argv[11]);
    s.firstRoundOnly = std::string(argv[12]) == "1";
    return s;
  }
};

TrainingSummary runJob(const JobSpec& spec, bool distributed) {
  const int rank = distributed ? readDistributedEnvironment().rank : 0;
  std::atomic<bool> stop{false};
  const auto progress = [&](const TrainingProgress& r) {
    if (rank == spec.dieRank && r.epoch == spec.dieEpoch && r.step == spec.dieStep && !r.validated) raise(SIGKILL);
    if (spec.stopAtEpoch > 0 && r.epoch == spec.stopAtEpoch) stop = true;
  };
  if (spec.model == "ikan") {
    IkanTrainingOptions o;
    o.cachePath = discCache();
    o.outDir = spec.out;
    o.variant = "small";
    o.inputSize = 64;
    o.epochs = spec.epochs;
    o.stepsPerEpoch = spec.steps;
    o.batchSize = spec.batch;
    o.gradientRounds = spec.firstRoundOnly ? 1 : 2;
    o.maxNoGradientRounds = spec.firstRoundOnly ? 0 : 1;
    o.validationFraction = 0.34;
    o.device = "cpu";
    o.seed = 7;
    o.threads = 1;
    o.resume = spec.resume;
    o.distributedFromEnvironment = distributed;
    o.distributedTimeoutSeconds = 30;
    o.adamEpsilon = kAdamEpsilon;
    return runIkanTraining(o, progress, stop);
  }
  CaisegTrainingOptions o;
  o.cachePath = ballCache();
  o.outDir = spec.out;
  o.variant = "slim";
  o.baseWidth = 4;
  o.patchSize = {32, 32, 32};
  o.epochs = spec.epochs;
  o.stepsPerEpoch = spec.steps;
  o.batchSize = spec.batch;
  o.rounds = spec.firstRoundOnly ? 1 : 3;
  o.validationFraction = 0.34;
  o.device = "cpu";
  o.threads = 1;
  o.seed = 7;
  o.resume = spec.resume;
  o.distributedFromEnvironment = distributed;
  o.distributedTimeoutSeconds = 30;
  o.adamEpsilon = kAdamEpsilon;
  return runCaisegTraining(o, progress, stop);
}

// One rank of a job; its error (if any) also goes to OUT/rank-N-error.txt for the test to read.
int workerMain(char** argv) {
  const JobSpec spec = JobSpec::parse(argv);
  const int rank = readDistributedEnvironment().rank;
  try {
    runJob(spec, true);
    return 0;
  } catch (const std::exception& e) {
    std::ofstream(fs::path(spec.out) / ("rank-" + std::to_string(rank) + "-error.txt")) << e.what() << "\n";
    std::cerr << "rank " << rank << ": " << e.what() << "\n";
    return 3;
  }
}

int launch(const JobSpec& spec, int processes, std::string* log = nullptr) {
  // The caches are written before the ranks start, so they never race to write them.
  spec.model == "ikan" ? discCache() : ballCache();
  LocalLaunchOptions options;
  options.processes = processes;
  options.graceSeconds = 40;
  std::ostringstream messages;
  const int code = launchLocalRanks(currentExecutable(), spec.arguments(), options, messages);
  if (log) *log = messages.str();
  return code;
}

// Over every floating-point tensor of two weights files (integer ones, BatchNorm's counters, must be
// equal when sameSteps).
double maxWeightDifference(const std::string& a, const std::string& b, bool sameSteps = true) {
  const auto first = loadSafetensors(a), second = loadSafetensors(b);
  EXPECT(first.tensors.size() == second.tensors.size());
  double worst = 0.0;
  std::string worstName;
  for (const auto& [name, tensor] : first.tensors) {
    const auto other = second.tensors.find(name);
    EXPECT(other != second.tensors.end());
    if (!tensor.is_floating_point()) {
      if (sameSteps && !tensor.equal(other->second)) throw test::Failure(name + " differs: " + std::to_string(tensor.sum().item<int64_t>()) + " vs " +
                                                            std::to_string(other->second.sum().item<int64_t>()));
      continue;
    }
    const double difference = (tensor.to(torch::kFloat64) - other->second.to(torch::kFloat64)).abs().max().item<double>();
    if (difference > worst) {
      worst = difference;
      worstName = name;
    }
  }
  if (worst > 1e-4) std::cout << "  largest difference in " << worstName << "\n";
  return worst;
}

std::string readText(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

MEDCLICK_TEST(environment_variables_are_read_and_checked) {
  const auto e = parseDistributedEnvironment({{"RANK", "1"}, {"WORLD_SIZE", "4"}, {"LOCAL_RANK", "1"}, {"MASTER_ADDR", "10.0.0.5"},
                                              {"MASTER_PORT", "29400"}});
  EXPECT(e.rank == 1 && e.worldSize == 4 && e.localRank == 1 && e.masterAddress == "10.0.0.5" && e.masterPort == 29400);
  EXPECT(e.distributed() && !e.isMain());
  EXPECT(!parseDistributedEnvironment({}).distributed()); // no variables: one ordinary process
  EXPECT(parseDistributedEnvironment(e.asVariables()).masterPort == 29400);
  EXPECT_THROWS_WITH(std::invalid_argument, parseDistributedEnvironment({{"RANK", "4"}, {"WORLD_SIZE", "4"}}), "RANK=4");
  EXPECT_THROWS_WITH(std::invalid_argument, parseDistributedEnvironment({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", "70000"}}),
                     "MASTER_PORT");
  EXPECT_THROWS_WITH(std::invalid_argument, parseDistributedEnvironment({{"WORLD_SIZE", "2"}}), "RANK is not set");
  EXPECT_THROWS_WITH(std::invalid_argument, parseDistributedEnvironment({{"RANK", "x"}, {"WORLD_SIZE", "2"}}), "RANK=x");
}

MEDCLICK_TEST(every_case_is_seen_once_per_epoch_across_ranks) {
  const int64_t cases = 12, batch = 4, steps = cases / batch;
  for (const int world : {1, 2, 4}) {
    for (int epoch = 1; epoch <= 2; ++epoch) {
      const auto order = epochOrder(cases, 9, epoch);
      std::multiset<int64_t> seen;
      std::vector<int64_t> byPosition;
      for (int64_t step = 0; step < steps; ++step)
        for (int rank = 0; rank < world; ++rank)
          for (const auto i : shardBatchIndices(order, step, batch, batchShard(batch, rank, world))) {
            seen.insert(i);
            byPosition.push_back(i);
          }
      EXPECT(static_cast<int64_t>(seen.size()) == cases);
      for (int64_t i = 0; i < cases; ++i) EXPECT(seen.count(i) == 1);
      EXPECT(byPosition == order); // ranks in order rebuild the one-process batches exactly
    }
  }
  EXPECT(epochOrder(cases, 9, 1) != epochOrder(cases, 9, 2)); // a new shuffle each epoch
  EXPECT_THROWS_WITH(std::invalid_argument, batchShard(3, 0, 2), "multiple of the number of processes");
  std::multiset<int64_t> validation;
  for (int rank = 0; rank < 3; ++rank)
    for (const auto i : validationShard(10, rank, 3)) validation.insert(i);
  EXPECT(validation.size() == 10 && *validation.begin() == 0 && *validation.rbegin() == 9 && validation.count(4) == 1);
  EXPECT(sampleSeed(1, 2, 3, 0) != sampleSeed(1, 2, 3, 1) && sampleSeed(1, 2, 3, 0) == sampleSeed(1, 2, 3, 0));
}

MEDCLICK_TEST(bucketed_gradients_are_averaged_over_ranks) {
  // Two ranks as two threads of this process (the process group does not care).
  DistributedEnvironment env;
  env.worldSize = 2;
  env.masterPort = findFreeLocalPort();
  std::vector<std::vector<torch::Tensor>> results(2);
  std::vector<size_t> buckets(2);
  std::vector<std::string> errors(2);
  std::vector<std::thread> ranks;
  for (int r = 0; r < 2; ++r)
    ranks.emplace_back([&, r] {
      try {
        auto me = env;
        me.rank = r;
        DistributedContext context(me, torch::kCPU, std::chrono::seconds(20));
        std::vector<torch::Tensor> parameters{torch::zeros({3, 5}, torch::requires_grad()), torch::zeros({200}, torch::requires_grad()),
                                              torch::zeros({7}, torch::requires_grad()), torch::zeros({2}, torch::requires_grad())};
        for (size_t i = 0; i + 1 < parameters.size(); ++i) // the last has no gradient
          parameters[i].mutable_grad() = torch::full_like(parameters[i], static_cast<double>(r + 1) * static_cast<double>(i + 1));
        GradientAverager averager(parameters, context, 64 * sizeof(float)); // small buckets: several collectives
        averager.average();
        buckets[static_cast<size_t>(r)] = averager.bucketCount();
        for (const auto& p : parameters) results[static_cast<size_t>(r)].push_back(p.grad().defined() ? p.grad().clone() : torch::Tensor());
        EXPECT(context.sum(r + 1.0) == 3.0);
        context.barrier();
      } catch (const std::exception& e) {
        errors[static_cast<size_t>(r)] = e.what();
      }
    });
  for (auto& t : ranks) t.join();
  EXPECT(errors[0].empty() && errors[1].empty());
  EXPECT(buckets[0] == 3); // [15 floats] | [200] | [7 + 2]
  for (int r = 0; r < 2; ++r) {
    for (size_t i = 0; i < 3; ++i)
      EXPECT(results[static_cast<size_t>(r)][i].allclose(torch::full_like(results[0][i], 1.5 * static_cast<double>(i + 1))));
    EXPECT(!results[static_cast<size_t>(r)][3].defined());
  }
}

MEDCLICK_TEST(batch_norm_with_a_reducer_matches_torch) {
  // The synchronised path (two reductions through sumOverProcesses) with one process: the same
  // values, gradients and running statistics as torch's own BatchNorm.
  torch::manual_seed(3);
  const auto x = torch::randn({4, 3, 5, 6}) * 2 + 1;
  BatchNorm ours(3);
  torch::nn::BatchNorm2d theirs(3);
  ours->weight.data().copy_(torch::tensor({0.5, 1.5, -1.0}));
  theirs->weight.data().copy_(ours->weight.data());
  const auto a = x.clone().requires_grad_(true), b = x.clone().requires_grad_(true);
  const auto upstream = torch::randn({4, 3, 5, 6});
  setBatchStatisticsReducer([](torch::Tensor&) {}); // one process: the sum is the tensor itself
  const auto ya = ours(a);
  (ya * upstream).sum().backward();
  setBatchStatisticsReducer({});
  const auto yb = theirs(b);
  (yb * upstream).sum().backward();
  EXPECT(ya.allclose(yb, 1e-5, 1e-5));
  EXPECT(a.grad().allclose(b.grad(), 1e-4, 1e-5));
  EXPECT(ours->weight.grad().allclose(theirs->weight.grad(), 1e-4, 1e-4));
  EXPECT(ours->running_mean.allclose(theirs->running_mean, 1e-6, 1e-6) && ours->running_var.allclose(theirs->running_var, 1e-5, 1e-5));
  EXPECT(ours->num_batches_tracked.item<int64_t>() == 1);
  ours->eval();
  theirs->eval();
  EXPECT(ours(x).allclose(theirs(x), 1e-5, 1e-5));
  // torch's names, so weights files written before this layer still load
  std::set<std::string> names;
  for (const auto& item : ours->named_parameters()) names.insert(item.key());
  for (const auto& item : ours->named_buffers()) names.insert(item.key());
  EXPECT((names == std::set<std::string>{"weight", "bias", "running_mean", "running_var", "num_batches_tracked"}));
}

MEDCLICK_TEST(two_processes_train_ikan_like_one_with_the_whole_batch) {
  JobSpec one;
  one.out = scratch("ikan-one").string();
  runJob(one, false);
  JobSpec two = one;
  two.out = scratch("ikan-two").string();
  EXPECT(launch(two, 2) == 0);
  const double difference = maxWeightDifference(one.out + "/last.safetensors", two.out + "/last.safetensors");
  // The tolerance means something only if training moved the weights by far more than it.
  torch::manual_seed(7);
  IkanOptions networkOptions = IkanOptions::named("small");
  networkOptions.inputSize = 64;
  IkanNetwork initial(networkOptions);
  const auto initialPath = scratch("ikan-initial.safetensors").string();
  saveModuleWeights(*initial, initialPath, {});
  const double moved = maxWeightDifference(one.out + "/last.safetensors", initialPath, false);
  std::cout << "  IKAN, 5 steps of batch 4: max |w1 - w2| = " << difference << ", max |w1 - w0| = " << moved << "\n";
  EXPECT(difference <= 1e-4);
  EXPECT(moved > 100 * 1e-4);
  const auto a = readText(fs::path(one.out) / "metrics.csv"), b = readText(fs::path(two.out) / "metrics.csv");
  EXPECT(!fs::exists(fs::path(two.out) / "rank-1-error.txt"));
  EXPECT(a.substr(0, a.find('\n')) == b.substr(0, b.find('\n')));
}

// Counts the floating-point elements of two weights files that differ by more than `tolerance`.
int64_t elementsDifferingBy(const std::string& a, const std::string& b, double tolerance, int64_t* total) {
  const auto first = loadSafetensors(a), second = loadSafetensors(b);
  int64_t count = 0;
  *total = 0;
  for (const auto& [name, tensor] : first.tensors) {
    if (!tensor.is_floating_point() || name.find("running_") != std::string::npos) continue; // statistics are not trained
    count += (tensor - second.tensors.at(name)).abs().gt(tolerance).sum().item<int64_t>();
    *total += tensor.numel();
  }
  return count;
}

MEDCLICK_TEST(two_processes_train_caiseg_like_one_with_the_whole_batch) {
  // CAISeg's feature clustering keeps, per voxel, the best foreground and background centre (an
  // argmax over affinities), so a rounding can flip a choice and the runs part ways after a few steps
  // whatever the number of processes. One step: the averaged gradient with synchronised BatchNorm
  // must give the one-process weights everywhere but at a handful of such elements.
  JobSpec one;
  one.model = "caiseg";
  one.batch = 2;
  one.steps = 1;
  one.out = scratch("caiseg-one").string();
  runJob(one, false);
  JobSpec two = one;
  two.out = scratch("caiseg-two").string();
  EXPECT(launch(two, 2) == 0);
  int64_t total = 0;
  const auto differing = elementsDifferingBy(one.out + "/last.safetensors", two.out + "/last.safetensors", 1e-4, &total);
  std::cout << "  CAISeg, 1 step of batch 2: " << differing << " of " << total << " weights differ by more than 1e-4\n";
  EXPECT(total > 100000 && differing * 10000 <= total); // at most 0.01 %
}

MEDCLICK_TEST(a_distributed_job_resumes_with_another_number_of_processes) {
  JobSpec straight;
  straight.epochs = 2;
  straight.steps = 3;
  straight.out = scratch("resume-straight").string();
  runJob(straight, false);
  JobSpec interrupted = straight;
  interrupted.out = scratch("resume-interrupted").string();
  interrupted.stopAtEpoch = 2; // both ranks stop together in epoch 2; epoch 1's checkpoint stays
  EXPECT(launch(interrupted, 2) == 0);
  JobSpec resumed = interrupted;
  resumed.stopAtEpoch = 0;
  resumed.resume = true;
  const auto summary = runJob(resumed, false); // one process now
  EXPECT(summary.epochsRun == 2);
  const double difference = maxWeightDifference(straight.out + "/last.safetensors", resumed.out + "/last.safetensors");
  EXPECT(difference <= 1e-4);
}

MEDCLICK_TEST(a_killed_rank_is_named_and_the_last_checkpoint_loads) {
  JobSpec job;
  job.epochs = 2;
  job.steps = 3;
  job.dieRank = 1;
  job.dieEpoch = 2;
  job.dieStep = 2;
  job.firstRoundOnly = false;
  job.out = scratch("killed").string();
  std::string log;
  const auto start = std::chrono::steady_clock::now();
  const int code = launch(job, 2, &log);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT(code == 128 + SIGKILL);
  EXPECT(log.find("rank 1") != std::string::npos && log.find("signal 9") != std::string::npos);
  const auto error = readText(fs::path(job.out) / "rank-0-error.txt"); // rank 0's own account
  std::cout << "  rank 0 said: " << error;
  EXPECT(error.find("Lost rank 1") != std::string::npos);
  EXPECT(seconds < 35); // it noticed, rather than waiting out the 30 s collective timeout and more
  // The survivor's files: the checkpoint of epoch 1 resumes (one process now) to the end.
  JobSpec resumed = job;
  resumed.dieRank = -1;
  resumed.resume = true;
  const auto summary = runJob(resumed, false);
  EXPECT(summary.epochsRun == 2 && !summary.cancelled);
}

int main(int argc, char** argv) {
  if (argc == 13 && std::string(argv[1]) == "--worker") return workerMain(argv);
  return medclick::test::runAll(argc, argv);
}
