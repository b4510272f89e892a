// medclick-cli bench --model ikan: parameters, GFLOPs and per-click latency of each variant; with
// --train, the speed of one training step (samples/s, ms/step) at batch 4 instead.

#include "cli/command.h"
#include "cli/command_parser.h"

#include "bench/ikan_benchmark.h"
#include "bench/ikan_training_benchmark.h"

#include <iostream>

namespace medclick::cli {

namespace {

class BenchCommand : public Command {
public:
  QString name() const override { return "bench"; }
  QString summary() const override {
    return "Time one click (modulation + forward + up-sampling) of each model variant, or one training step (--train).";
  }

  int run(const QStringList& arguments) override {
    CommandParser command(name(), summary());
    QCommandLineOption model("model", "Model to time: ikan.", "NAME", "ikan");
    QCommandLineOption variant("variant", "Only this variant (small, paper). Default: all.", "NAME");
    QCommandLineOption size("size", "Network resolution, a multiple of 32 (default 256).", "N", "256");
    QCommandLineOption repeat("repeat", "Timed clicks per variant after warm-up (default 20; with --train, timed steps, default 8).", "N",
                              "20");
    QCommandLineOption device("device", "auto, cpu or cuda (with --train, auto times the CPU and CUDA when present).", "DEVICE", "auto");
    QCommandLineOption threads("threads", "CPU threads (default: all cores).", "N", "0");
    QCommandLineOption json("json", "One JSON object per line.");
    QCommandLineOption train("train", "Time one training step (click rounds, backward, Adam) instead of one click.");
    QCommandLineOption batch("batch", "Training batch size with --train (default 4).", "N", "4");
    command.parser().addOptions({model, variant, size, repeat, device, threads, json, train, batch});
    if (!command.parse(arguments, 0)) return 0;
    auto& p = command.parser();
    if (p.value(model) != "ikan") throw UsageError("unknown model '" + p.value(model).toStdString() + "' (available: ikan)");
    BenchmarkOptions options;
    bool ok1 = false, ok2 = false, ok3 = false;
    options.size = p.value(size).toInt(&ok1);
    options.repeat = p.value(repeat).toInt(&ok2);
    options.threads = p.value(threads).toInt(&ok3);
    if (!ok1 || !ok2 || !ok3 || options.size <= 0 || options.size % 32 != 0 || options.repeat <= 0)
      throw UsageError("--size must be a positive multiple of 32 and --repeat positive");
    options.device = p.value(device).toStdString();
    if (p.isSet(variant)) options.variants = {p.value(variant).toStdString()};
    if (p.isSet(train)) {
      TrainingBenchmarkOptions trainingOptions;
      trainingOptions.variants = options.variants;
      trainingOptions.size = options.size;
      trainingOptions.device = options.device;
      trainingOptions.threads = options.threads;
      if (p.isSet(repeat)) trainingOptions.steps = options.repeat; // a training step is slow: its own default
      bool ok = false;
      trainingOptions.batchSize = p.value(batch).toInt(&ok);
      if (!ok || trainingOptions.batchSize <= 0) throw UsageError("--batch must be positive");
      for (const auto& result : benchmarkIkanTraining(trainingOptions))
        std::cout << (p.isSet(json) ? toJsonLine(result) : toTextLine(result)) << std::endl;
      return 0;
    }
    for (const auto& result : benchmarkIkan(options))
      std::cout << (p.isSet(json) ? toJsonLine(result) : toTextLine(result)) << std::endl;
    return 0;
  }
};

} // namespace

std::unique_ptr<Command> makeBenchCommand() { return std::make_unique<BenchCommand>(); }

} // namespace medclick::cli
