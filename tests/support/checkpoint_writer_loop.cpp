// Writes training checkpoints of a small model into the folder given, over and over, until killed:
// the SIGKILL test kills it at arbitrary moments and then loads what is left.

#include "checkpoint/training_checkpoint.h"

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: checkpoint_writer_loop FOLDER\n";
    return 1;
  }
  torch::nn::Sequential model(torch::nn::Linear(64, 256), torch::nn::Linear(256, 64));
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
  medclick::TrainingCursor cursor;
  for (long long step = 1;; ++step) {
    optimizer.zero_grad();
    model->forward(torch::randn({8, 64})).square().mean().backward();
    optimizer.step();
    cursor.globalStep = step;
    cursor.epochsDone = static_cast<int>(step);
    medclick::saveTrainingCheckpoint(argv[1], *model, optimizer, cursor, {{"model", "test"}});
  }
}
