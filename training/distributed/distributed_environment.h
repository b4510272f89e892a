#pragma once
// Where this process stands in a data-parallel job, read from the variables torchrun sets (and that
// Slurm scripts or `medclick-cli train --nproc N` set the same way): RANK, WORLD_SIZE, LOCAL_RANK,
// MASTER_ADDR, MASTER_PORT. Without WORLD_SIZE (or with 1) the job is one ordinary process.

#include <cstdint>
#include <map>
#include <string>

namespace medclick {

struct DistributedEnvironment {
  int rank = 0;
  int worldSize = 1;
  int localRank = 0;                   // index among the processes of this machine (its GPU)
  std::string masterAddress = "127.0.0.1"; // the host of rank 0, which serves the rendezvous store
  uint16_t masterPort = 29500;

  bool distributed() const { return worldSize > 1; }
  bool isMain() const { return rank == 0; }
  // The variables that make a child process this rank (for launchers).
  std::map<std::string, std::string> asVariables() const;
};

// Reads the process environment. Throws std::invalid_argument naming the variable that is malformed
// or inconsistent (RANK outside 0..WORLD_SIZE-1, a port outside 1..65535, ...).
DistributedEnvironment readDistributedEnvironment();

// The same from a given map (tests, and launchers that check before they spawn).
DistributedEnvironment parseDistributedEnvironment(const std::map<std::string, std::string>& variables);

} // namespace medclick
