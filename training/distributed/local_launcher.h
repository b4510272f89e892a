#pragma once
// `--nproc N` without a cluster launcher: starts N copies of a program on this machine as ranks
// 0..N-1 of one job (the torchrun variables set, MASTER_ADDR 127.0.0.1 and a free port), passes
// SIGINT/SIGTERM on to them, and waits. A rank that fails is named; the others get a grace period to
// fail their next collective on their own, then are stopped, so the job never hangs. POSIX only.

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace medclick {

struct LocalLaunchOptions {
  int processes = 2;
  int graceSeconds = 30;                          // after the first failure, before the rest are stopped
  std::map<std::string, std::string> environment; // added to every rank's environment
};

// Returns 0 when every rank exits 0; otherwise the first failed rank's exit code (128 + signal for
// a signal), after writing which rank failed and how to `log`. Throws std::runtime_error when a
// process cannot be started.
int launchLocalRanks(const std::string& executable, const std::vector<std::string>& arguments, const LocalLaunchOptions& options,
                     std::ostream& log);

// A TCP port on 127.0.0.1 that nothing listens on right now.
uint16_t findFreeLocalPort();

// This program's own executable (/proc/self/exe), to start copies of it.
std::string currentExecutable();

} // namespace medclick
