#include "io/text_file.h"

#include "io/image_io_error.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace medclick {

namespace fs = std::filesystem;

std::string readTextFile(const std::string& path, std::uintmax_t maxBytes, const std::string& kind) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ImageIOError(path, "cannot be opened (missing or not readable)");
  std::error_code ec;
  if (fs::file_size(path, ec) > maxBytes || ec)
    throw ImageIOError(path, "not a " + kind + ": larger than " + std::to_string(maxBytes >> 20) + " MiB or unreadable");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeTextAtomically(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".part";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw ImageIOError(path, "cannot be written (folder missing or not writable)");
    out << text;
    out.flush();
    if (!out) throw ImageIOError(path, "write failed (disk full?)");
  }
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) {
    fs::remove(temporary, error);
    throw ImageIOError(path, "cannot replace the file");
  }
}

} // namespace medclick
