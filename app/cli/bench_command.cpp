// medclick-cli bench --model ikan: parameters, GFLOPs and per-click latency of each variant.

#include "cli/command.h"
#include "cli/command_parser.h"

#include "bench/ikan_benchmark.h"

#include <iostream>

namespace medclick::cli {

namespace {

class BenchCommand : public Command {
public:
  QString name() const override { return "bench"; }
  QString summary() const override { return "Time one click (modulation + forward + up-sampling) of each model variant."; }

  int run(const QStringList& arguments) override {
    CommandParser command(name(), summary());
    QCommandLineOption model("model", "Model to time: ikan.", "NAME", "ikan");
    QCommandLineOption variant("variant", "Only this variant (small, paper). Default: all.", "NAME");
    QCommandLineOption size("size", "Network resolution, a multiple of 32 (default 256).", "N", "256");
    QCommandLineOption repeat("repeat", "Timed clicks per variant after warm-up (default 20).", "N", "20");
    QCommandLineOption device("device", "auto, cpu or cuda.", "DEVICE", "auto");
    QCommandLineOption threads("threads", "CPU threads (default: all cores).", "N", "0");
    QCommandLineOption json("json", "One JSON object per line.");
    command.parser().addOptions({model, variant, size, repeat, device, threads, json});
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
    for (const auto& result : benchmarkIkan(options))
      std::cout << (p.isSet(json) ? toJsonLine(result) : toTextLine(result)) << std::endl;
    return 0;
  }
};

} // namespace

std::unique_ptr<Command> makeBenchCommand() { return std::make_unique<BenchCommand>(); }

} // namespace medclick::cli
