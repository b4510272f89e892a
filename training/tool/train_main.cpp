// medclick-train: the training job where only LibTorch is installed (the LibTorch-only configuration,
// e.g. a CUDA machine with PyTorch's LibTorch and no Qt or ITK). It trains from a tensor cache that
// `medclick-cli train --data DIR --out DIR --epochs 0` decoded on a machine with the full build, and
// writes what that command writes (checkpoints, best.safetensors, metrics.csv, split.txt; not the
// curves plot, which needs Qt). Options not given keep the model's recipe (the training jobs' option
// structs), which is what medclick-cli train starts from too, except for the epochs: the recipes run
// 50 (ikan), 100 (kmunet, kanunet) and 200 (caiseg), medclick-cli train 50 unless told.
//
//   medclick-train --model ikan|kmunet|kanunet|caiseg --cache FILE --out DIR [--variant V] [--epochs N]
//                  [--steps-per-epoch N] [--batch N] [--lr X (ikan)] [--split FILE] [--init W]
//                  [--transfer W (kmunet, kanunet)] [--patch D,H,W] [--width W (caiseg)] [--resume]
//                  [--device auto|cpu|cuda|cuda:N] [--threads N] [--seed S] [--validation-limit N]
//                  [--input-size N (ikan, kmunet: the network's resolution)]
//
// Ctrl-C or SIGTERM stops after the current step; --resume goes on. With torchrun's variables set
// (RANK, WORLD_SIZE, ...) each process is one rank of a data-parallel job.

#include "distributed/distributed_environment.h"
#include "jobs/caiseg_training_job.h"
#include "jobs/ikan_training_job.h"
#include "jobs/segmenter_training_job.h"
#include "jobs/training_progress_printer.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>

namespace {

std::atomic<bool> stopRequested{false};
extern "C" void requestStop(int) { stopRequested.store(true); }

constexpr const char* kUsage =
    "usage: medclick-train --model ikan|kmunet|kanunet|caiseg --cache FILE --out DIR [--variant V] [--epochs N]\n"
    "                      [--steps-per-epoch N] [--batch N] [--lr X] [--split FILE] [--init W] [--transfer W]\n"
    "                      [--patch D,H,W] [--resume] [--device auto|cpu|cuda|cuda:N] [--threads N] [--seed S]\n"
    "                      [--validation-limit N] [--input-size N] [--width W]\n";

// --name value pairs and --flag switches; anything else is an error.
struct Arguments {
  std::map<std::string, std::string> values;
  std::set<std::string> flags;

  bool has(const std::string& name) const { return values.count(name) > 0; }
  std::string text(const std::string& name) const { return has(name) ? values.at(name) : std::string(); }
  int integer(const std::string& name, int fallback, int minimum) const {
    if (!has(name)) return fallback;
    std::size_t used = 0;
    int value = 0;
    try {
      value = std::stoi(values.at(name), &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != values.at(name).size() || value < minimum)
      throw std::invalid_argument("--" + name + " expects an integer of at least " + std::to_string(minimum));
    return value;
  }
};

Arguments parse(int argc, char** argv) {
  static const std::set<std::string> valued{"model", "cache", "out", "variant", "epochs", "steps-per-epoch", "batch", "lr",
                                            "split", "init", "transfer", "patch", "device", "threads", "seed", "validation-limit",
                                            "input-size", "width"};
  static const std::set<std::string> switches{"resume", "help"};
  Arguments a;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) throw std::invalid_argument("unexpected argument '" + arg + "'");
    arg = arg.substr(2);
    std::string value;
    const auto equals = arg.find('=');
    const bool inlineValue = equals != std::string::npos;
    if (inlineValue) {
      value = arg.substr(equals + 1);
      arg = arg.substr(0, equals);
    }
    if (switches.count(arg) && !inlineValue) {
      a.flags.insert(arg);
    } else if (valued.count(arg)) {
      if (!inlineValue) {
        if (i + 1 >= argc) throw std::invalid_argument("--" + arg + " needs a value");
        value = argv[++i];
      }
      a.values[arg] = value;
    } else {
      throw std::invalid_argument("unknown option --" + arg);
    }
  }
  return a;
}

// The settings every model's options share, from the arguments over the recipe's defaults.
template <class Options>
void applyCommon(const Arguments& a, Options& o) {
  o.cachePath = a.text("cache");
  o.outDir = a.text("out");
  if (a.has("variant")) o.variant = a.text("variant");
  o.epochs = a.integer("epochs", o.epochs, 1);
  o.stepsPerEpoch = a.integer("steps-per-epoch", o.stepsPerEpoch, 0);
  o.batchSize = a.integer("batch", o.batchSize, 1);
  o.initWeights = a.text("init");
  o.resume = a.flags.count("resume") > 0;
  if (a.has("device")) o.device = a.text("device");
  o.threads = a.integer("threads", o.threads, 0);
  o.seed = static_cast<uint64_t>(a.integer("seed", static_cast<int>(o.seed), 0));
  o.validationLimit = a.integer("validation-limit", o.validationLimit, 0);
  o.distributedFromEnvironment = true; // one rank of a torchrun job when WORLD_SIZE > 1
}

void refuseUnless(const Arguments& a, const std::string& option, bool allowed, const std::string& models) {
  if (a.has(option) && !allowed) throw std::invalid_argument("--" + option + " applies to --model " + models);
}

int run(const Arguments& a) {
  const std::string model = a.has("model") ? a.text("model") : "ikan";
  if (model != "ikan" && model != "kmunet" && model != "kanunet" && model != "caiseg")
    throw std::invalid_argument("--model must be ikan, kmunet, kanunet or caiseg (got '" + model + "')");
  if (!a.has("cache") || !a.has("out")) throw std::invalid_argument("--cache FILE and --out DIR are required");
  refuseUnless(a, "lr", model == "ikan", "ikan");
  refuseUnless(a, "transfer", model == "kmunet" || model == "kanunet", "kmunet or kanunet");
  refuseUnless(a, "patch", model == "caiseg", "caiseg");
  refuseUnless(a, "width", model == "caiseg", "caiseg");
  refuseUnless(a, "input-size", model == "ikan" || model == "kmunet", "ikan or kmunet");
  refuseUnless(a, "split", model != "caiseg", "ikan, kmunet or kanunet");
  if (a.has("transfer") && a.has("init")) throw std::invalid_argument("give --init (the same model) or --transfer, not both");

  std::signal(SIGINT, requestStop);
  std::signal(SIGTERM, requestStop);
  medclick::TrainingSummary summary;
  std::string metric;
  if (model == "caiseg") {
    medclick::CaisegTrainingOptions o;
    applyCommon(a, o);
    o.baseWidth = a.integer("width", o.baseWidth, 0);
    if (a.has("patch")) {
      std::stringstream sizes(a.text("patch"));
      std::string item;
      for (std::size_t axis = 0; axis < 3; ++axis) {
        const bool read = static_cast<bool>(std::getline(sizes, item, ','));
        const int size = read ? std::atoi(item.c_str()) : 0;
        if (size < 16 || size % 16 != 0) throw std::invalid_argument("--patch expects D,H,W, each a multiple of 16");
        o.patchSize[axis] = size;
      }
    }
    metric = medclick::validationMetricName(model, 0, o.rounds);
    summary = medclick::runCaisegTraining(o, medclick::stderrProgressPrinter(metric), stopRequested);
  } else if (model == "ikan") {
    medclick::IkanTrainingOptions o;
    applyCommon(a, o);
    o.inputSize = a.integer("input-size", o.inputSize, 32);
    o.splitPath = a.text("split");
    if (a.has("lr")) {
      const double lr = std::atof(a.text("lr").c_str());
      if (!(lr > 0 && lr < 1)) throw std::invalid_argument("--lr expects a learning rate between 0 and 1");
      o.kanLearningRate *= lr / o.learningRate; // U-KAN's ratio for the KAN layers, as medclick-cli train keeps it
      o.learningRate = lr;
    }
    metric = medclick::validationMetricName(model, o.validationClicks, 0);
    summary = medclick::runIkanTraining(o, medclick::stderrProgressPrinter(metric), stopRequested);
  } else {
    medclick::SegmenterTrainingOptions o = model == "kanunet" ? medclick::SegmenterTrainingOptions::kanunetRecipe() : medclick::SegmenterTrainingOptions{};
    o.model = model;
    applyCommon(a, o);
    o.inputSize = a.integer("input-size", o.inputSize, 32);
    o.splitPath = a.text("split");
    o.transferWeights = a.text("transfer");
    metric = medclick::validationMetricName(model, 0, 0);
    summary = medclick::runSegmenterTraining(o, medclick::stderrProgressPrinter(metric), stopRequested);
  }
  if (!medclick::readDistributedEnvironment().isMain()) return 0; // rank 0 reports for the job
  std::cout << (summary.cancelled ? "stopped; resume with --resume. " : "") << "best " << metric << " " << summary.bestValidationIoU
            << " at epoch " << summary.bestEpoch << ": " << summary.bestWeightsPath << "\n";
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  Arguments arguments;
  try {
    arguments = parse(argc, argv);
  } catch (const std::invalid_argument& e) {
    std::cerr << "medclick-train: " << e.what() << "\n" << kUsage;
    return 1;
  }
  if (arguments.flags.count("help")) {
    std::cout << kUsage;
    return 0;
  }
  try {
    return run(arguments);
  } catch (const std::invalid_argument& e) {
    std::cerr << "medclick-train: " << e.what() << "\n" << kUsage;
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "medclick-train: " << e.what() << "\n";
    return 1;
  }
}
