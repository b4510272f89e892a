#pragma once
// The one error type of core's I/O: it names the file and the reason, so every front end can show
// "FILE: REASON" in one line.

#include <stdexcept>
#include <string>

namespace medclick {

class ImageIOError : public std::runtime_error {
public:
  ImageIOError(const std::string& path, const std::string& reason)
      : std::runtime_error(path + ": " + reason), path_(path), reason_(reason) {}
  const std::string& path() const { return path_; }
  const std::string& reason() const { return reason_; }

private:
  std::string path_;
  std::string reason_;
};

} // namespace medclick
