#pragma once
// A saved session, so work resumes later (and what autosave writes): which image, which model, the
// clicks of every slice, and the mask. The session file is JSON (format "medclick-session",
// version 1); the mask is a NIfTI file beside it on the image's exact grid, so any tool can open it.
// Both are written atomically, the mask first, so a crash never leaves a session naming a missing
// or half-written mask.

#include "engine/click.h"
#include "image/label_mask.h"
#include "session/slice_access.h"

#include <string>
#include <utility>
#include <vector>

namespace medclick {

struct SavedSession {
  std::string imagePath;      // absolute: a file, or a DICOM folder
  std::string dicomSeriesUid; // the series of a DICOM folder with several (may be empty)
  std::string model;          // engine name as the CLI's --model says it ("ikan", "classic", ...)
  std::string weightsPath;    // empty: the bundled weights of the model
  std::vector<std::pair<SliceRef, ClickList>> clicks;
  VolumeClickList volumeClicks; // a 3D engine's clicks (voxel indices i, j, k)
  LabelMask mask;
};

// The mask's file for a session file: "NAME.medclick" -> "NAME.mask.nii.gz".
std::string sessionMaskPath(const std::string& sessionPath);

void writeSessionFile(const std::string& path, const SavedSession& session);
// Throws ImageIOError naming the file and the reason: missing, not a MedClick session, a newer
// version, malformed JSON or fields, or a mask that cannot be read.
SavedSession readSessionFile(const std::string& path);

} // namespace medclick
