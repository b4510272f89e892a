#pragma once
// A test process's scratch folder under the system's temp directory, removed again when the process
// ends normally: checkpoints and caches of the training tests are hundreds of MB per run, and repeated
// runs must not fill /tmp. Only the process that made the folder removes it (a forked child that
// exits leaves its parent's files alone).

#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace medclick::test {

class ScratchFolder {
public:
  explicit ScratchFolder(const std::string& prefix)
      : path_(std::filesystem::temp_directory_path() / (prefix + "-" + std::to_string(::getpid()))), owner_(::getpid()) {
    std::filesystem::create_directories(path_);
  }
  ~ScratchFolder() {
    std::error_code ignored; // a folder already gone is fine
    if (::getpid() == owner_) std::filesystem::remove_all(path_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
  std::filesystem::path path_;
  pid_t owner_;
};

} // namespace medclick::test
