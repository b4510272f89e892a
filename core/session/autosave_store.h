#pragma once
// Autosave and crash recovery of the open session (ITK-SNAP and Slicer users expect their work to
// survive a crash). The GUI saves after every accepted change and on a timer into a folder of the
// user's data directory; a clean close discards the autosave, so an autosave found at start-up means
// the last run did not end cleanly and its work can be recovered.

#include "session/session_file.h"

#include <string>

namespace medclick {

class AutosaveStore {
public:
  explicit AutosaveStore(std::string folder);

  const std::string& folder() const { return folder_; }
  std::string sessionPath() const; // FOLDER/autosave.medclick (+ autosave.mask.nii.gz)

  void save(const SavedSession& session) const; // atomic; creates the folder
  bool hasRecovery() const;
  SavedSession recover() const; // throws ImageIOError when the autosave is unreadable
  void discard() const;

private:
  std::string folder_;
};

} // namespace medclick
