#include "io/checks/detached_data_file.h"

#include "io/image_io_error.h"

#include <algorithm>
#include <filesystem>

namespace medclick::detail {

namespace fs = std::filesystem;

std::string confinedDataFile(const std::string& headerPath, const std::string& dataName) {
  if (dataName.empty()) throw ImageIOError(headerPath, "the header names no data file");
  const fs::path name(dataName);
  if (name.is_absolute() || name.has_root_name())
    throw ImageIOError(headerPath, "the header names its data file by an absolute path (" + dataName +
                                       "); MedClick reads detached data only from the header's own folder");
  for (const auto& part : name)
    if (part == "..")
      throw ImageIOError(headerPath, "the header's data file (" + dataName + ") climbs out of the header's folder with '..'");
  std::error_code ec;
  const fs::path folder = fs::canonical(fs::absolute(headerPath).parent_path(), ec);
  if (ec) throw ImageIOError(headerPath, "cannot resolve the header's folder: " + ec.message());
  const fs::path data = folder / name;
  if (!fs::exists(data, ec)) throw ImageIOError(headerPath, "the header's data file " + dataName + " does not exist");
  const fs::path resolved = fs::canonical(data, ec);
  if (ec) throw ImageIOError(headerPath, "cannot resolve the data file " + dataName + ": " + ec.message());
  // A symbolic link inside the folder may still point outside it: compare the resolved paths.
  const auto [folderEnd, unused] = std::mismatch(folder.begin(), folder.end(), resolved.begin(), resolved.end());
  if (folderEnd != folder.end())
    throw ImageIOError(headerPath, "the header's data file " + dataName + " resolves to " + resolved.string() +
                                       ", outside the header's folder");
  if (!fs::is_regular_file(resolved, ec)) throw ImageIOError(headerPath, "the header's data file " + dataName + " is not a regular file");
  return resolved.string();
}

} // namespace medclick::detail
