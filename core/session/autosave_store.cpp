#include "session/autosave_store.h"

#include "io/image_io_error.h"
#include "io/label_map_file.h"

#include <filesystem>

namespace medclick {

namespace fs = std::filesystem;

AutosaveStore::AutosaveStore(std::string folder) : folder_(std::move(folder)) {}

std::string AutosaveStore::sessionPath() const { return (fs::path(folder_) / "autosave.medclick").string(); }

void AutosaveStore::save(const SavedSession& session) const {
  std::error_code error;
  fs::create_directories(folder_, error);
  if (error) throw ImageIOError(folder_, "autosave folder cannot be created (" + error.message() + ")");
  writeSessionFile(sessionPath(), session);
}

bool AutosaveStore::hasRecovery() const { return fs::is_regular_file(sessionPath()); }

SavedSession AutosaveStore::recover() const { return readSessionFile(sessionPath()); }

void AutosaveStore::discard() const {
  std::error_code ignored; // absent files are the goal, not an error
  fs::remove(sessionPath(), ignored);
  fs::remove(sessionMaskPath(sessionPath()), ignored);
  fs::remove(labelDescriptionPathFor(sessionMaskPath(sessionPath())), ignored);
}

} // namespace medclick
