// The epoch loop the trainers share, on a one-weight regression: its steps really train (the
// weight reaches the line's slope), each epoch sees every case once, schedules and validation run
// once per epoch from the first epoch asked for, the random streams depend only on (seed, epoch,
// step, sample), a cancel stops at the step it arrives in without counting the epoch, and patience
// ends a run whose metric stopped improving.

#include "loop/epoch_loop.h"
#include "support/scratch_folder.h"
#include "support/torch_test.h"

#include <algorithm>
#include <fstream>
#include <set>

using namespace medclick;
using medclick::test::ScratchFolder;

namespace {

struct Run {
  std::vector<int> epochsStarted;
  std::vector<std::vector<int64_t>> casesPerEpoch;
  std::vector<uint64_t> firstDraws; // each step's first sample's first draw
  int validations = 0;
  TrainingSummary summary;
  double slope = 0.0;
};

// y = 2x - 1 on eight cases, batches of two, four steps an epoch.
Run train(const std::string& outDir, int epochs, int firstEpoch, std::function<double(int)> metric = nullptr,
          int patience = 0, std::function<bool(int, int64_t)> cancelAt = nullptr) {
  torch::manual_seed(0);
  torch::nn::Linear line(1, 1);
  torch::optim::SGD optimizer(line->parameters(), torch::optim::SGDOptions(0.1));
  DistributedContext context; // one process
  GradientAverager gradients(line->parameters(), context);
  const BatchShard shard{0, 2};
  const torch::Device device(torch::kCPU);
  TrainingCursor cursor;
  cursor.epochsDone = firstEpoch - 1;
  TrainingRunRecord record(outDir, "val_metric", cursor, context, nullptr, epochs, 4, 2);
  const auto x = torch::linspace(-1, 1, 8).unsqueeze(1);
  const auto y = 2 * x - 1;
  std::atomic<bool> cancel{false};

  Run run;
  EpochLoop loop;
  loop.epochs = epochs;
  loop.stepsPerEpoch = 4;
  loop.trainingCount = 8;
  loop.globalBatch = 2;
  loop.seed = 7;
  loop.patience = patience;
  loop.startEpoch = [&](int epoch) {
    run.epochsStarted.push_back(epoch);
    run.casesPerEpoch.emplace_back();
  };
  loop.loss = [&](const TrainingStep& step) {
    EXPECT(step.cases.size() == 2 && step.random.size() == 2);
    run.casesPerEpoch.back().insert(run.casesPerEpoch.back().end(), step.cases.begin(), step.cases.end());
    run.firstDraws.push_back(step.random[0]());
    if (cancelAt && cancelAt(step.epoch, step.step)) cancel = true;
    const auto index = torch::tensor(step.cases, torch::kLong);
    return torch::mse_loss(line->forward(x.index_select(0, index)), y.index_select(0, index));
  };
  loop.validate = [&] {
    ++run.validations;
    return metric ? metric(run.epochsStarted.back()) : 0.0;
  };
  run.summary = runEpochLoop(loop, {*line, optimizer, gradients, context, shard, device, record}, firstEpoch, cancel);
  run.slope = line->weight.item<double>();
  return run;
}

} // namespace

MEDCLICK_TEST(the_steps_train_and_each_epoch_sees_every_case_once) {
  ScratchFolder out("medclick-epoch-loop");
  const Run run = train(out.path().string(), 40, 1, [](int epoch) { return static_cast<double>(epoch); });
  EXPECT_NEAR(run.slope, 2.0, 0.05);
  EXPECT(run.epochsStarted.size() == 40 && run.epochsStarted.front() == 1 && run.epochsStarted.back() == 40);
  EXPECT(run.validations == 40);
  for (auto cases : run.casesPerEpoch) {
    std::sort(cases.begin(), cases.end());
    EXPECT((cases == std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  }
  EXPECT(run.casesPerEpoch[0] != run.casesPerEpoch[1]); // reshuffled every epoch
  EXPECT(run.summary.epochsRun == 40 && run.summary.bestEpoch == 40 && !run.summary.cancelled);
  std::ifstream metrics(out / "metrics.csv");
  int lines = 0;
  for (std::string line; std::getline(metrics, line);) ++lines;
  EXPECT(lines == 41); // the header and one row per epoch
}

MEDCLICK_TEST(randomness_depends_only_on_seed_epoch_step_and_sample) {
  ScratchFolder a("medclick-epoch-loop-a"), b("medclick-epoch-loop-b");
  const Run whole = train(a.path().string(), 5, 1);
  const Run resumed = train(b.path().string(), 5, 3); // as a run resumed after epoch 2 begins
  EXPECT((resumed.epochsStarted == std::vector<int>{3, 4, 5}));
  EXPECT(std::vector<uint64_t>(whole.firstDraws.begin() + 8, whole.firstDraws.end()) == resumed.firstDraws);
  EXPECT(whole.casesPerEpoch[2] == resumed.casesPerEpoch[0]);
  EXPECT(std::set<uint64_t>(whole.firstDraws.begin(), whole.firstDraws.end()).size() == whole.firstDraws.size());
}

MEDCLICK_TEST(a_cancel_stops_at_its_step_and_the_epoch_does_not_count) {
  ScratchFolder out("medclick-epoch-loop-cancel");
  const Run run = train(out.path().string(), 5, 1, nullptr, 0, [](int epoch, int64_t step) { return epoch == 2 && step == 1; });
  EXPECT(run.summary.cancelled);
  EXPECT(run.summary.epochsRun == 1);
  EXPECT(run.firstDraws.size() == 4 + 2); // epoch 1 whole, epoch 2 up to the step that was cancelled
  EXPECT(run.validations == 1);
}

MEDCLICK_TEST(patience_ends_a_run_whose_metric_stopped_improving) {
  ScratchFolder out("medclick-epoch-loop-patience");
  // Better until epoch 3, then worse: patience 2 stops after epoch 5.
  const Run run = train(out.path().string(), 20, 1, [](int epoch) { return epoch <= 3 ? epoch : 0.0; }, 2);
  EXPECT(run.summary.epochsRun == 5);
  EXPECT(run.summary.bestEpoch == 3);
  EXPECT(run.validations == 5);
}

MEDCLICK_TEST_MAIN()
