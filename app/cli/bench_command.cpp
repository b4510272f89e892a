// medclick-cli bench --model ikan: parameters, GFLOPs and per-click latency of each variant; with
// --train, the speed of one training step (samples/s, ms/step) at batch 4 instead; --train --nproc N
// also times the same global batch split over N data-parallel processes on this machine.
// --model kmunet|kanunet: one forward pass of the automatic segmenters, as medclick-bench prints it.
// --model caiseg: the CAISeg benchmark of medclick-bench (full forward and feature-reusing
// refinement of one patch, seconds), the same lines. --model clicked-objects: the 3D post-processing
// every click runs (core/segmentation/clicked_objects_benchmark.h), ms on two grid sizes.

#include "cli/command.h"
#include "cli/command_parser.h"

#include "inference/bench/caiseg_benchmark.h"
#include "inference/bench/ikan_benchmark.h"
#include "training/bench/ikan_training_benchmark.h"
#include "distributed/local_launcher.h"
#include "kmunet/segmenter_benchmark.h"
#include "segmentation/clicked_objects_benchmark.h"

#include <cstdio>
#include <iostream>
#include <thread>

namespace medclick::cli {

namespace {

class BenchCommand : public Command {
public:
  QString name() const override { return "bench"; }
  QString summary() const override {
    return "Time one click (modulation + forward + up-sampling) of each model variant, or one training step (--train); "
           "--model caiseg: one patch's full forward and feature-reusing refinement.";
  }

  int run(const QStringList& arguments) override {
    CommandParser command(name(), summary());
    QCommandLineOption model("model", "What to time: ikan, kmunet, kanunet (one forward pass, no clicks), caiseg, or clicked-objects "
                             "(the 3D post-processing of every click).", "NAME",
                             "ikan");
    QCommandLineOption variant("variant", "Only this variant (ikan, kanunet: small, paper; kmunet: small, paper, small++, paper++; "
                               "caiseg: slim, paper). Default: all (caiseg: slim).",
                               "NAME");
    QCommandLineOption size("size", "Network resolution, a multiple of 32 (default 256).", "N", "256");
    QCommandLineOption repeat("repeat", "Timed clicks per variant after warm-up (default 20; with --train, timed steps, default 8).", "N",
                              "20");
    QCommandLineOption device("device", "auto, cpu or cuda (with --train, auto times the CPU and CUDA when present).", "DEVICE", "auto");
    QCommandLineOption threads("threads", "CPU threads (default: all cores).", "N", "0");
    QCommandLineOption json("json", "One JSON object per line.");
    QCommandLineOption train("train", "Time one training step (click rounds, backward, Adam) instead of one click.");
    QCommandLineOption batch("batch", "Training batch size with --train (default 4).", "N", "4");
    QCommandLineOption patch("patch", "caiseg: the patch, DxHxW voxels (default 96x128x128).", "DxHxW");
    QCommandLineOption anisotropic("anisotropic", "caiseg: the anisotropic network (F keeps every slice).");
    QCommandLineOption nproc("nproc", "With --train: also time the batch split over N processes (data-parallel, Gloo).", "N", "1");
    QCommandLineOption rankWorker("rank-worker", "(internal) one rank of --nproc's data-parallel run.");
    rankWorker.setFlags(QCommandLineOption::HiddenFromHelp);
    command.parser().addOptions({model, variant, size, repeat, device, threads, json, train, batch, patch, anisotropic, nproc, rankWorker});
    if (!command.parse(arguments, 0)) return 0;
    auto& p = command.parser();
    if (p.value(model) == "caiseg") {
      if (p.isSet(train) || p.isSet(size) || p.isSet(batch)) throw UsageError("--train, --size and --batch are IKAN's; caiseg takes --patch");
      CaisegBenchmarkOptions caiseg;
      if (p.isSet(variant)) caiseg.variants = {p.value(variant).toStdString()};
      bool repeatOk = true, threadsOk = false;
      if (p.isSet(repeat)) caiseg.repeat = p.value(repeat).toInt(&repeatOk);
      caiseg.threads = p.value(threads).toInt(&threadsOk);
      if (!repeatOk || !threadsOk || caiseg.repeat <= 0) throw UsageError("--repeat must be positive and --threads a number");
      if (p.isSet(patch)) {
        char end = 0;
        auto& d = caiseg.patch;
        if (std::sscanf(p.value(patch).toStdString().c_str(), "%dx%dx%d%c", &d[0], &d[1], &d[2], &end) != 3 || d[0] <= 0 || d[1] <= 0 ||
            d[2] <= 0)
          throw UsageError("--patch needs DxHxW, e.g. 96x128x128");
      }
      caiseg.anisotropic = p.isSet(anisotropic);
      caiseg.device = p.value(device).toStdString();
      for (const auto& result : benchmarkCaiseg(caiseg))
        std::cout << (p.isSet(json) ? toJsonLine(result) : toTextLine(result)) << std::endl;
      return 0;
    }
    if (p.value(model) == "clicked-objects") {
      bool ok = false;
      const int times = p.isSet(repeat) ? p.value(repeat).toInt(&ok) : 5;
      if (p.isSet(repeat) && (!ok || times <= 0)) throw UsageError("--repeat must be positive");
      for (const auto& result : benchmarkClickedObjects(times))
        std::cout << (p.isSet(json) ? toJsonLine(result) : toTextLine(result)) << std::endl;
      return 0;
    }
    const std::string modelName = p.value(model).toStdString();
    const bool automatic = modelName == "kmunet" || modelName == "kanunet";
    if (modelName != "ikan" && !automatic)
      throw UsageError("unknown model '" + modelName + "' (available: ikan, kmunet, kanunet, caiseg, clicked-objects)");
    if (p.isSet(patch) || p.isSet(anisotropic)) throw UsageError("--patch and --anisotropic are CAISeg's (--model caiseg)");
    BenchmarkOptions options;
    bool ok1 = false, ok2 = false, ok3 = false;
    options.size = p.value(size).toInt(&ok1);
    options.repeat = p.value(repeat).toInt(&ok2);
    options.threads = p.value(threads).toInt(&ok3);
    if (!ok1 || !ok2 || !ok3 || options.size <= 0 || options.size % 32 != 0 || options.repeat <= 0)
      throw UsageError("--size must be a positive multiple of 32 and --repeat positive");
    options.device = p.value(device).toStdString();
    if (p.isSet(variant)) options.variants = {p.value(variant).toStdString()};
    if (automatic) { // one forward pass without clicks, as medclick-bench --model kmunet|kanunet
      if (p.isSet(train) || p.isSet(batch) || p.isSet(nproc)) throw UsageError("--train, --batch and --nproc are IKAN's");
      for (const auto& result : modelName == "kmunet" ? benchmarkKmUnet(options) : benchmarkKanUnet(options))
        std::cout << (p.isSet(json) ? toJsonLine(result) : toTextLine(result)) << std::endl;
      return 0;
    }
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
      const int processes = p.value(nproc).toInt(&ok);
      if (!ok || processes < 1) throw UsageError("--nproc must be positive");
      trainingOptions.distributedFromEnvironment = p.isSet(rankWorker);
      const auto results = benchmarkIkanTraining(trainingOptions); // every rank runs it; rank 0 reports
      if (isMainBenchmarkProcess())
        for (const auto& result : results) std::cout << (p.isSet(json) ? toJsonLine(result) : toTextLine(result)) << std::endl;
      if (processes > 1 && !p.isSet(rankWorker)) {
        // The same global batch over N ranks, each with its share of the cores.
        std::vector<std::string> rankArguments{"bench", "--rank-worker"};
        for (int i = 1; i < arguments.size(); ++i) {
          if (arguments[i] == "--nproc" || arguments[i] == "--threads") {
            ++i;
            continue;
          }
          if (arguments[i].startsWith("--nproc=") || arguments[i].startsWith("--threads=")) continue;
          rankArguments.push_back(arguments[i].toStdString());
        }
        const int cores = trainingOptions.threads > 0 ? trainingOptions.threads : static_cast<int>(std::thread::hardware_concurrency());
        rankArguments.push_back("--threads");
        rankArguments.push_back(std::to_string(std::max(1, cores / processes)));
        LocalLaunchOptions launch;
        launch.processes = processes;
        std::cout.flush();
        return launchLocalRanks(currentExecutable(), rankArguments, launch, std::cerr);
      }
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
