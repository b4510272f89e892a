#include "distributed/local_launcher.h"

#include "distributed/distributed_environment.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace medclick {

namespace {

std::atomic<int> forwardedSignal{0};

void rememberSignal(int signal) { forwardedSignal.store(signal); }

std::string describeStatus(int status) {
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    return "was killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
  }
  return "exited with code " + std::to_string(WEXITSTATUS(status));
}

int exitCodeOf(int status) { return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status); }

pid_t startRank(const std::string& executable, const std::vector<std::string>& arguments, const std::map<std::string, std::string>& variables) {
  // Everything the child needs is prepared before fork: after it, only exec-safe calls.
  std::vector<std::string> environment;
  for (char** e = environ; *e; ++e) {
    const std::string entry(*e);
    const auto name = entry.substr(0, entry.find('='));
    if (!variables.count(name)) environment.push_back(entry);
  }
  for (const auto& [name, value] : variables) environment.push_back(name + "=" + value);
  std::vector<char*> envp, argv;
  for (auto& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::vector<std::string> argumentCopies{executable};
  argumentCopies.insert(argumentCopies.end(), arguments.begin(), arguments.end());
  for (auto& a : argumentCopies) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("cannot start a rank: ") + std::strerror(errno));
  if (pid == 0) {
    execve(executable.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

} // namespace

uint16_t findFreeLocalPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("cannot open a socket to find a free port");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0; // the kernel picks a free one
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    throw std::runtime_error("cannot find a free port on 127.0.0.1");
  }
  close(fd);
  return ntohs(address.sin_port);
}

std::string currentExecutable() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

int launchLocalRanks(const std::string& executable, const std::vector<std::string>& arguments, const LocalLaunchOptions& options,
                     std::ostream& log) {
  if (options.processes < 1) throw std::invalid_argument("--nproc must be at least 1");
  DistributedEnvironment env;
  env.worldSize = options.processes;
  env.masterAddress = "127.0.0.1";
  env.masterPort = findFreeLocalPort();

  struct sigaction forward{}, oldInterrupt{}, oldTerminate{};
  forward.sa_handler = rememberSignal;
  sigemptyset(&forward.sa_mask);
  sigaction(SIGINT, &forward, &oldInterrupt);
  sigaction(SIGTERM, &forward, &oldTerminate);
  forwardedSignal.store(0);

  std::vector<pid_t> pids;
  for (int r = 0; r < options.processes; ++r) {
    env.rank = r;
    env.localRank = r;
    auto variables = env.asVariables();
    for (const auto& [name, value] : options.environment) variables[name] = value;
    pids.push_back(startRank(executable, arguments, variables));
  }

  std::vector<bool> running(pids.size(), true);
  int remaining = options.processes, result = 0;
  bool failed = false;
  auto stopDeadline = std::chrono::steady_clock::time_point::max();
  bool terminated = false;
  while (remaining > 0) {
    if (const int signal = forwardedSignal.exchange(0))
      for (size_t r = 0; r < pids.size(); ++r)
        if (running[r]) kill(pids[r], signal);
    int status = 0;
    const pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      for (size_t r = 0; r < pids.size(); ++r) {
        if (pids[r] != pid || !running[r]) continue;
        running[r] = false;
        --remaining;
        const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (!ok && !failed) {
          failed = true;
          result = exitCodeOf(status);
          log << "rank " << r << " (pid " << pid << ") " << describeStatus(status) << "; the job stops" << std::endl;
          stopDeadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.graceSeconds);
        } else if (!ok) {
          log << "rank " << r << " (pid " << pid << ") " << describeStatus(status) << std::endl;
        }
      }
      continue;
    }
    const auto now = std::chrono::steady_clock::now();
    if (failed && now > stopDeadline) {
      // The survivors did not notice on their own (they may be between collectives): stop them.
      for (size_t r = 0; r < pids.size(); ++r)
        if (running[r]) kill(pids[r], terminated ? SIGKILL : SIGTERM);
      terminated = true;
      stopDeadline = now + std::chrono::seconds(5);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sigaction(SIGINT, &oldInterrupt, nullptr);
  sigaction(SIGTERM, &oldTerminate, nullptr);
  return result;
}

} // namespace medclick
