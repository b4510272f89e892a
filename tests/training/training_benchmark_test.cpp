// The training-step benchmark runs a real step at a tiny size and reports consistent, positive figures.

#include "support/torch_test.h"

#include "training/bench/ikan_training_benchmark.h"

using namespace medclick;

MEDCLICK_TEST(one_tiny_training_step_reports_positive_speed) {
  TrainingBenchmarkOptions options;
  options.variants = {"small"};
  options.size = 64;
  options.batchSize = 2;
  options.gradientRounds = 2;
  options.maxNoGradientRounds = 1;
  options.warmup = 0;
  options.steps = 2; // one step without and one with a no-gradient round
  options.device = "cpu";
  options.threads = 1; // two OpenMP threads on two busy cores spin against each other: 10× slower here
  const auto results = benchmarkIkanTraining(options);
  EXPECT(results.size() == 1u);
  const auto& r = results.front();
  EXPECT(r.variant == "small" && r.device == "cpu" && r.size == 64 && r.batchSize == 2);
  EXPECT(r.params > 1000000);
  EXPECT(r.msPerStep > 0);
  EXPECT_NEAR(r.samplesPerSecond, 2 * 1000.0 / r.msPerStep, 1e-9);
  EXPECT_NEAR(r.meanNoGradientRounds, 0.5, 1e-12);
  const auto json = toJsonLine(r);
  for (const char* key : {"\"model\":\"ikan\"", "\"device\":\"cpu\"", "\"batch\":2", "\"ms_per_step\":", "\"samples_per_s\":"})
    EXPECT(json.find(key) != std::string::npos);
  EXPECT(toTextLine(r).find("samples/s") != std::string::npos);
}

MEDCLICK_TEST(a_size_the_network_cannot_take_is_refused) {
  TrainingBenchmarkOptions options;
  options.size = 50;
  options.device = "cpu";
  EXPECT_THROWS_WITH(std::invalid_argument, benchmarkIkanTraining(options), "multiple of 32");
}

MEDCLICK_TEST_MAIN()
