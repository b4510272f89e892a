// A job killed with SIGKILL at any moment leaves a loadable checkpoint: a writer process is killed
// at arbitrary times while it saves checkpoints in a loop, and what it left must load.

#include "support/torch_test.h"

#include "checkpoint/training_checkpoint.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <thread>

using namespace medclick;
namespace fs = std::filesystem;

MEDCLICK_TEST(sigkill_during_checkpoint_writes_leaves_a_loadable_checkpoint) {
  const auto folder = fs::temp_directory_path() / ("medclick-sigkill-" + std::to_string(::getpid()));
  fs::create_directories(folder);
  long long lastStep = 0;
  for (int attempt = 0; attempt < 6; ++attempt) {
    pid_t child = 0;
    std::string program = MEDCLICK_CHECKPOINT_WRITER, target = folder.string();
    char* arguments[] = {program.data(), target.data(), nullptr};
    EXPECT(posix_spawn(&child, program.c_str(), nullptr, nullptr, arguments, environ) == 0);
    // Once the first checkpoint exists, kill at an arbitrary later moment (mid-write, very likely).
    for (int wait = 0; wait < 400 && !fs::exists(lastWeightsPath(target)); ++wait) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::this_thread::sleep_for(std::chrono::milliseconds(37 + 53 * attempt));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    torch::nn::Sequential model(torch::nn::Linear(64, 256), torch::nn::Linear(256, 64));
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
    TrainingCursor cursor;
    EXPECT(loadTrainingCheckpoint(folder.string(), *model, optimizer, cursor));
    EXPECT(cursor.globalStep >= 1);
    lastStep = cursor.globalStep;
  }
  EXPECT(lastStep > 0);
  fs::remove_all(folder);
}

MEDCLICK_TEST(an_empty_folder_has_no_checkpoint) {
  const auto folder = fs::temp_directory_path() / ("medclick-nocheckpoint-" + std::to_string(::getpid()));
  fs::create_directories(folder);
  torch::nn::Linear model(2, 2);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
  TrainingCursor cursor;
  EXPECT(!loadTrainingCheckpoint(folder.string(), *model, optimizer, cursor));
  fs::remove_all(folder);
}

MEDCLICK_TEST_MAIN()
