// medclick-cli train --model ikan|caiseg --data DIR ... --out DIR: decodes the labeled cases once into
// a tensor cache beside the output (2D images for IKAN, 3D volumes for CAISeg), then trains with
// simulated clicks (the fine-tune job the GUI runs too) and redraws OUT/curves.png after every epoch.
// Ctrl-C (SIGINT) or SIGTERM stops after the current step; the last finished epoch is kept and
// --resume goes on from it.
//
// Data parallelism: with torchrun's variables set (RANK, WORLD_SIZE, ...), this process is one rank
// of a job; `--nproc N` decodes the cases once, then starts N ranks on this machine itself.

#include "cli/command.h"
#include "cli/command_parser.h"

#include "common/fine_tune_job.h"
#include "distributed/distributed_environment.h"
#include "distributed/local_launcher.h"
#include "jobs/training_progress_printer.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

namespace medclick::cli {

namespace {

std::atomic<bool> stopRequested{false};

extern "C" void requestStop(int) { stopRequested.store(true); }

class TrainCommand : public Command {
public:
  QString name() const override { return "train"; }
  QString summary() const override {
    return "Train or fine-tune IKAN (2D) or CAISeg (3D) on labeled cases with simulated clicks, or the automatic KM-UNet / KANU-Net.";
  }

  int run(const QStringList& arguments) override {
    CommandParser command(name(), summary());
    QCommandLineOption model("model", "Model: ikan (2D), caiseg (3D), kmunet or kanunet (automatic 2D masks; kanunet on volumes' slices).",
                             "NAME", "ikan");
    QCommandLineOption data("data", "Labeled folder (images/+masks/, BUSI or MSD layout). Repeat for several.", "DIR");
    QCommandLineOption labelTargets("label-targets", "CAISeg: a volume whose mask stores several labels (BraTS's sub-regions) also enters "
                                                     "the cache once per label, that label alone as the lesion (NAME#L, in the case's split).");
    QCommandLineOption objectCrops("object-crops", "IKAN: this --data folder's 2D cases also enter the cache as one crop per object "
                                                   "(twice its size, at least 96 px, the object alone as target), named NAME#k, "
                                                   "following their case's split (OCT fluid pockets). Repeat for several.", "DIR");
    QCommandLineOption cache("cache", "Tensor cache to read, or to write from --data (default OUT/cases.safetensors).", "FILE");
    QCommandLineOption out("out", "Output folder: checkpoints, best.safetensors, metrics.csv, split.txt.", "DIR");
    QCommandLineOption variant("variant", "IKAN variant: small or paper (default small); CAISeg: slim or paper (default slim).", "NAME");
    QCommandLineOption epochs("epochs", "Epochs (default 50); 0: only decode --data into the tensor cache.", "N", "50");
    QCommandLineOption steps("steps-per-epoch", "Steps per epoch (default: one pass over the training split).", "N", "0");
    QCommandLineOption batch("batch", "Batch size (default 4 for IKAN, 2 for CAISeg).", "N");
    QCommandLineOption rounds("rounds", "IKAN: click rounds with gradient, weighted 1..T; CAISeg: simulated rounds, loss on the last (default 3).",
                              "T", "3");
    QCommandLineOption patch("patch", "CAISeg: training patch D,H,W in voxels, multiples of 16 (default 64,96,96).", "D,H,W", "64,96,96");
    QCommandLineOption width("width", "CAISeg: V-Net base width (default: the variant's, slim 8, paper 16).", "N", "0");
    QCommandLineOption minSpacing("min-spacing", "CAISeg: resample cases so that no axis is finer than this many mm (default 0: native spacing, as the engine sees them).", "MM",
                                  "0");
    QCommandLineOption valFraction("val-fraction", "Share of patients/exams kept for validation (default 0.15).", "F", "0.15");
    QCommandLineOption split("split", "IKAN, KM-UNet, KANU-Net: follow this split.txt (e.g. resources/models/ikan_split.txt, so that "
                                      "--init comparisons run on cases neither model trained on, or a fine-tune on more data keeps the "
                                      "bundled validation cases unseen); cases it does not list train.", "FILE");
    QCommandLineOption valLimit("val-limit", "Validate on at most N cases (default all).", "N", "0");
    QCommandLineOption patience("patience", "Stop after N epochs without a better validation mIoU (default off).", "N", "0");
    QCommandLineOption seed("seed", "Random seed (split, augmentation, clicks).", "S", "42");
    QCommandLineOption init("init", "Start from these weights (fine-tuning).", "FILE");
    QCommandLineOption transfer("transfer", "KM-UNet, KANU-Net: start from every tensor of FILE with the same name and shape, the rest "
                                            "as initialised (e.g. resources/models/ikan.safetensors for KM-UNet's small variant, which "
                                            "shares IKAN's U-KAN encoder and decoder).", "FILE");
    QCommandLineOption resume("resume", "Continue from OUT's last checkpoint with its optimizer state.");
    QCommandLineOption device("device", "auto, cpu or cuda.", "DEVICE", "auto");
    QCommandLineOption threads("threads", "CPU threads (default: all cores).", "N", "0");
    QCommandLineOption label("label", "Object = this label value of multi-label masks (default: every label > 0).", "N", "0");
    QCommandLineOption gamma("gamma", "KANU-Net: gamma per modality, comma-separated (the paper: 1.2 for FLAIR, 1.5 for T1c; default 1 each).",
                             "G,G,...");
    QCommandLineOption automaticStart("automatic-start", "IKAN: share of samples whose first click corrects a simulated automatic mask "
                                                         "instead of an empty one (default 0; e.g. 0.3 for use after KM-UNet).", "F", "0");
    QCommandLineOption learningRate("lr", "IKAN: Adam's learning rate before the milestones (default 5e-4, IKAN §3); the KAN layers get "
                                          "20 times it, as U-KAN's 1e-2 to 5e-4. Lower for fine-tuning a trained model (e.g. 5e-5). "
                                          "CAISeg: Adam's starting rate (default 1e-3, halved every epochs/4).", "LR");
    QCommandLineOption milestones("milestones", "IKAN: epochs after which the learning rate falls ×0.1 (default: 2/3 of --epochs).", "E,E,...");
    QCommandLineOption nproc("nproc", "Data-parallel: run N processes on this machine (the batch is split over them).", "N", "1");
    QCommandLineOption timeout("dist-timeout", "Data-parallel: seconds a rank waits for the others before the job fails (default 300).", "S",
                               "300");
    command.parser().addOptions({model, data, objectCrops, labelTargets, cache, out, variant, epochs, steps, batch, rounds, patch, width, minSpacing, valFraction, split,
                                 valLimit, patience, seed, init, transfer, resume, device, threads, label, gamma, automaticStart, learningRate, milestones, nproc, timeout});
    if (!command.parse(arguments, 0)) return 0;
    auto& p = command.parser();
    const auto models = app::fineTunableModels();
    if (std::find(models.begin(), models.end(), p.value(model).toStdString()) == models.end())
      throw UsageError("unknown model '" + p.value(model).toStdString() + "' (available: ikan, caiseg, kmunet, kanunet)");
    const bool caiseg = p.value(model) == "caiseg";
    if (!p.isSet(out)) throw UsageError("--out DIR is required");
    const auto integer = [&](const QCommandLineOption& option) {
      bool ok = false;
      const int value = p.value(option).toInt(&ok);
      if (!ok || value < 0) throw UsageError("--" + option.names().front().toStdString() + " expects a non-negative integer");
      return value;
    };

    app::FineTuneJobOptions job;
    job.model = p.value(model).toStdString();
    for (const QString& folder : p.values(data)) job.dataFolders.push_back(folder.toStdString());
    for (const QString& folder : p.values(objectCrops)) job.objectCropFolders.push_back(folder.toStdString());
    if (!job.objectCropFolders.empty() && job.model != "ikan") throw UsageError("--object-crops applies to --model ikan");
    job.labelTargets = p.isSet(labelTargets);
    if (job.labelTargets && job.model != "caiseg") throw UsageError("--label-targets applies to --model caiseg");
    if (job.labelTargets && p.isSet(label)) throw UsageError("--label-targets takes every label; drop --label");
    job.label = integer(label);
    IkanTrainingOptions& options = job.training;
    options.outDir = p.value(out).toStdString();
    options.cachePath = p.isSet(cache) ? p.value(cache).toStdString() : (std::filesystem::path(options.outDir) / "cases.safetensors").string();
    if (job.dataFolders.empty() && !std::filesystem::exists(options.cachePath))
      throw UsageError("give --data DIR (or an existing --cache FILE)");
    options.variant = p.isSet(variant) ? p.value(variant).toStdString() : "small";
    options.epochs = std::max(1, integer(epochs));
    options.stepsPerEpoch = integer(steps);
    options.batchSize = p.isSet(batch) ? std::max(1, integer(batch)) : 4;
    options.gradientRounds = std::max(1, integer(rounds));
    options.validationFraction = p.value(valFraction).toDouble();
    options.validationLimit = integer(valLimit);
    options.patience = integer(patience);
    options.seed = static_cast<uint64_t>(integer(seed));
    options.initWeights = p.value(init).toStdString();
    options.resume = p.isSet(resume);
    options.device = p.value(device).toStdString();
    options.threads = integer(threads);
    bool shareOk = false;
    options.automaticStartShare = p.value(automaticStart).toDouble(&shareOk);
    if (!shareOk || options.automaticStartShare < 0 || options.automaticStartShare > 1)
      throw UsageError("--automatic-start expects a share between 0 and 1");
    for (const QString& value : p.value(milestones).split(',', Qt::SkipEmptyParts)) {
      bool ok = false;
      options.milestones.push_back(value.toInt(&ok));
      if (!ok || options.milestones.back() < 1) throw UsageError("--milestones expects epoch numbers separated by commas");
    }
    if (p.isSet(learningRate)) {
      bool ok = false;
      const double lr = p.value(learningRate).toDouble(&ok);
      if (!ok || !(lr > 0 && lr < 1)) throw UsageError("--lr expects a learning rate between 0 and 1");
      options.kanLearningRate *= lr / options.learningRate; // keep U-KAN's ratio
      options.learningRate = lr;
    }
    if ((p.isSet(automaticStart) || p.isSet(milestones)) && job.model != "ikan")
      throw UsageError("--automatic-start and --milestones apply to --model ikan");
    if (p.isSet(learningRate) && job.model != "ikan" && job.model != "caiseg") throw UsageError("--lr applies to --model ikan or caiseg");
    if (caiseg) {
      CaisegTrainingOptions& c = job.caiseg;
      c.outDir = options.outDir;
      c.cachePath = options.cachePath;
      c.variant = p.isSet(variant) ? options.variant : "slim";
      c.baseWidth = integer(width);
      std::stringstream sizes(p.value(patch).toStdString());
      std::string item;
      for (size_t axis = 0; axis < 3; ++axis) {
        if (!std::getline(sizes, item, ',') || std::atoi(item.c_str()) < 16 || std::atoi(item.c_str()) % 16 != 0)
          throw UsageError("--patch expects D,H,W, each a multiple of 16");
        c.patchSize[axis] = std::atoi(item.c_str());
      }
      bool ok = false;
      job.minimumSpacing = p.value(minSpacing).toDouble(&ok);
      if (!ok || job.minimumSpacing < 0) throw UsageError("--min-spacing expects a non-negative number of millimetres");
      c.epochs = options.epochs;
      c.stepsPerEpoch = options.stepsPerEpoch;
      c.batchSize = p.isSet(batch) ? options.batchSize : 2;
      c.rounds = options.gradientRounds;
      c.validationFraction = options.validationFraction;
      c.validationLimit = options.validationLimit;
      c.seed = options.seed;
      c.initWeights = options.initWeights;
      c.resume = options.resume;
      c.device = options.device;
      c.threads = options.threads;
      if (p.isSet(learningRate)) c.learningRate = options.learningRate; // Adam's; ×0.5 every epochs/4
      if (options.patience > 0) throw UsageError("--patience is not available for caiseg");
    }
    if (p.isSet(gamma) && job.model != "kanunet") throw UsageError("--gamma applies to --model kanunet");
    if (p.isSet(split) && caiseg) throw UsageError("--split applies to --model ikan, kmunet or kanunet");
    options.splitPath = p.value(split).toStdString();
    if (p.isSet(transfer) && job.model != "kmunet" && job.model != "kanunet") throw UsageError("--transfer applies to --model kmunet or kanunet");
    if (p.isSet(transfer) && p.isSet(init)) throw UsageError("give --init (the same model) or --transfer (another model's matching tensors), not both");
    if (job.model == "kmunet" || job.model == "kanunet") { // the automatic segmenters' recipes (jobs/segmenter_training_job.h)
      SegmenterTrainingOptions& k = job.segmenter;
      if (job.model == "kanunet") k = SegmenterTrainingOptions::kanunetRecipe();
      k.variant = p.isSet(variant) ? options.variant : "small";
      k.epochs = options.epochs;
      k.stepsPerEpoch = options.stepsPerEpoch;
      if (p.isSet(batch) || job.model == "kmunet") k.batchSize = options.batchSize;
      for (const QString& value : p.value(gamma).split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        k.gamma.push_back(value.toDouble(&ok));
        if (!ok || k.gamma.back() <= 0) throw UsageError("--gamma expects positive numbers separated by commas");
      }
      k.validationFraction = options.validationFraction;
      k.splitPath = p.value(split).toStdString();
      k.validationLimit = options.validationLimit;
      k.seed = options.seed;
      k.initWeights = options.initWeights;
      k.transferWeights = p.value(transfer).toStdString();
      k.resume = options.resume;
      k.device = options.device;
      k.threads = options.threads;
      if (options.patience > 0) throw UsageError("--patience is not available for " + job.model);
    }
    const DistributedEnvironment rank = readDistributedEnvironment();
    options.distributedFromEnvironment = job.caiseg.distributedFromEnvironment = job.segmenter.distributedFromEnvironment = true;
    options.distributedTimeoutSeconds = job.caiseg.distributedTimeoutSeconds = job.segmenter.distributedTimeoutSeconds =
        std::max(1, integer(timeout));
    if (integer(epochs) == 0) { // only decode the cases: a cache to copy to other machines
      if (job.dataFolders.empty()) throw UsageError("--epochs 0 decodes --data DIR into the cache; no --data was given");
      const std::atomic<bool> noCancel{false};
      std::filesystem::create_directories(std::filesystem::path(options.cachePath).parent_path());
      const int cases = app::buildModelCache(job, options.cachePath, noCancel);
      std::cout << cases << (job.model == "kanunet" ? " slices" : " cases") << " decoded into " << options.cachePath << "\n";
      return 0;
    }
    const int processes = std::max(1, integer(nproc));
    if (processes > 1) {
      if (rank.distributed()) throw UsageError("--nproc starts its own ranks: do not combine it with RANK/WORLD_SIZE");
      return launchRanks(arguments, job, processes, p.isSet(threads));
    }
    if (rank.distributed() && !job.dataFolders.empty())
      throw UsageError("each rank of a data-parallel job reads a tensor cache: write it once with train --data DIR --out DIR --epochs 0, "
                       "copy it to every node and give --cache FILE (or use --nproc on one machine)");

    const std::string metric = validationMetricName(job.model, options.validationClicks, job.caiseg.rounds);

    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
    const auto summary = app::runFineTuneJob(
        job,
        stderrProgressPrinter(metric),
        stopRequested);
    if (!rank.isMain()) return 0; // rank 0 reports for the job
    if (summary.cancelled && summary.bestWeightsPath.empty()) {
      std::cout << "stopped while decoding the cases; nothing was trained\n";
      return 0;
    }
    std::cout << (summary.cancelled ? "stopped; resume with --resume. " : "") << "best " << metric << " " << summary.bestValidationIoU << " at epoch " << summary.bestEpoch << ": " << summary.bestWeightsPath << "\n";
    const std::string curves = app::trainingCurvesPath(options.outDir);
    if (std::filesystem::exists(curves)) std::cout << "curves: " << curves << "\n";
    return 0;
  }

private:
  // Decodes the cases once (ranks read the cache), then runs this command again as N ranks.
  int launchRanks(const QStringList& arguments, const app::FineTuneJobOptions& job, int processes, bool threadsGiven) {
    const bool caiseg = job.model == "caiseg";
    const std::string cachePath = caiseg ? job.caiseg.cachePath : job.training.cachePath;
    const std::atomic<bool> noCancel{false};
    if (!job.dataFolders.empty()) {
      std::filesystem::create_directories(std::filesystem::path(cachePath).parent_path());
      const int cases = app::buildModelCache(job, cachePath, noCancel);
      std::cerr << "decoded " << cases << " cases into " << cachePath << "\n";
    }
    std::vector<std::string> rankArguments{"train"};
    for (int i = 1; i < arguments.size(); ++i) { // [0] is the program name
      const QString a = arguments[i];
      const bool takesValue = a == "--nproc" || a == "--data" || a == "--cache";
      if (takesValue) {
        ++i;
        continue;
      }
      if (a.startsWith("--nproc=") || a.startsWith("--data=") || a.startsWith("--cache=")) continue;
      rankArguments.push_back(a.toStdString());
    }
    rankArguments.push_back("--cache");
    rankArguments.push_back(cachePath);
    if (!threadsGiven) { // the cores shared out: OpenMP threads of several ranks must not wait on each other
      rankArguments.push_back("--threads");
      rankArguments.push_back(std::to_string(std::max(1u, std::thread::hardware_concurrency() / static_cast<unsigned>(processes))));
    }
    LocalLaunchOptions launch;
    launch.processes = processes;
    std::cerr << "starting " << processes << " ranks on 127.0.0.1\n";
    const int code = launchLocalRanks(currentExecutable(), rankArguments, launch, std::cerr);
    if (code != 0) std::cerr << "the data-parallel job failed; the last finished epoch's checkpoint is kept (--resume)\n";
    return code;
  }
};

} // namespace

std::unique_ptr<Command> makeTrainCommand() { return std::make_unique<TrainCommand>(); }

} // namespace medclick::cli
