// medclick-train, the training job of the LibTorch-only configuration: it trains each model from a
// tensor cache into the files medclick-cli train writes, resumes, and refuses bad options with a
// message and exit status 1.

#include "support/scratch_folder.h"
#include "support/torch_test.h"
#include "support/training_fixtures.h"

#include "weights/safetensors.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

using namespace medclick;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  static const test::ScratchFolder folder("medclick-train-tool");
  return folder / name;
}

struct Run {
  int exitCode = -1;
  std::string output; // stdout and stderr
};

Run train(const std::string& arguments) {
  const fs::path log = scratch("log.txt");
  const std::string command = std::string(MEDCLICK_TRAIN) + " " + arguments + " --device cpu --threads 1 > '" + log.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  Run run;
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(log);
  run.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return run;
}

int csvRows(const fs::path& path) {
  std::ifstream in(path);
  int rows = -1; // the header
  for (std::string line; std::getline(in, line);) ++rows;
  return rows;
}

} // namespace

MEDCLICK_TEST(kmunet_trains_from_a_cache_and_resumes) {
  const std::string cache = test::writeDiscCache(scratch("discs.safetensors"));
  const fs::path out = scratch("kmunet");
  const std::string common = "--model kmunet --cache '" + cache + "' --out '" + out.string() + "' --input-size 64 --steps-per-epoch 2 --batch 2";
  const Run first = train(common + " --epochs 1");
  EXPECT(first.exitCode == 0);
  EXPECT(first.output.find("epoch 1/1") != std::string::npos && first.output.find("validation IoU (no clicks)") != std::string::npos);
  const auto weights = loadSafetensors((out / "best.safetensors").string());
  EXPECT(weights.metadata.at("model") == "kmunet" && weights.metadata.at("input_size") == "64");
  EXPECT(csvRows(out / "metrics.csv") == 1 && fs::exists(out / "split.txt"));

  const Run resumed = train(common + " --epochs 2 --resume");
  EXPECT(resumed.exitCode == 0);
  EXPECT(csvRows(out / "metrics.csv") == 2); // epoch 1 kept, epoch 2 added
}

MEDCLICK_TEST(ikan_and_caiseg_train_one_step) {
  const std::string discs = test::writeDiscCache(scratch("discs-ikan.safetensors"));
  const fs::path ikan = scratch("ikan");
  const Run twoD = train("--model ikan --cache '" + discs + "' --out '" + ikan.string() + "' --input-size 64 --epochs 1 --steps-per-epoch 1 --batch 2");
  EXPECT(twoD.exitCode == 0 && twoD.output.find("validation mIoU@5") != std::string::npos);
  EXPECT(loadSafetensors((ikan / "best.safetensors").string()).metadata.at("model") == "ikan");

  const std::string balls = test::writeBallCache(scratch("balls.safetensors"));
  const fs::path caiseg = scratch("caiseg");
  const Run threeD = train("--model caiseg --cache '" + balls + "' --out '" + caiseg.string() +
                           "' --width 4 --patch 32,32,32 --epochs 1 --steps-per-epoch 1 --validation-limit 1");
  EXPECT(threeD.exitCode == 0 && threeD.output.find("validation Dice after 3 rounds") != std::string::npos);
  EXPECT(loadSafetensors((caiseg / "best.safetensors").string()).metadata.at("model") == "caiseg");
}

MEDCLICK_TEST(bad_options_are_refused_with_a_reason) {
  const struct {
    std::string arguments, message;
  } cases[] = {
      {"--model unet --cache c --out o", "--model must be ikan, kmunet, kanunet or caiseg"},
      {"--model kmunet --out o", "--cache FILE and --out DIR are required"},
      {"--model kmunet --cache c --out o --lr 0.1", "--lr applies to --model ikan"},
      {"--model ikan --cache c --out o --transfer w", "--transfer applies to --model kmunet or kanunet"},
      {"--model caiseg --cache c --out o --split s", "--split applies to --model ikan, kmunet or kanunet"},
      {"--model caiseg --cache c --out o --patch 20,32,32", "--patch expects D,H,W, each a multiple of 16"},
      {"--model kmunet --cache c --out o --epochs zero", "--epochs expects an integer of at least 1"},
      {"--model kmunet --cache c --out o --frobnicate", "unknown option --frobnicate"},
      {"--model kmunet --cache no-such-cache.safetensors --out " + scratch("none").string(), "no-such-cache.safetensors"},
  };
  for (const auto& c : cases) {
    const Run run = train(c.arguments);
    if (run.exitCode != 1 || run.output.find(c.message) == std::string::npos)
      throw test::Failure("'" + c.arguments + "' gave exit " + std::to_string(run.exitCode) + ": " + run.output);
  }
}

MEDCLICK_TEST_MAIN()
