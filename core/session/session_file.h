#pragma once
// A saved session, so work resumes later (and what autosave writes): which image, which model, the
// segments with the clicks of every slice, and the label map. The session file is JSON (format
// "medclick-session", version 2; version 1 held one segment's clicks); the label map is a NIfTI file
// beside it on the image's exact grid with its ITK-SNAP label description, so any tool can open it.
// Both are written atomically, the mask first, so a crash never leaves a session naming a missing
// or half-written mask.

#include "engine/click.h"
#include "image/label_mask.h"
#include "segments/segment_record.h"
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
  std::vector<SegmentRecord> segments; // in list order, each with its clicks
  Label activeSegment = 0;              // 0: the first segment
  LabelMask mask;                       // the label map
};

// The mask's file for a session file: "NAME.medclick" -> "NAME.mask.nii.gz" (its label description is
// labelDescriptionPathFor that: "NAME.mask.label.txt").
std::string sessionMaskPath(const std::string& sessionPath);

void writeSessionFile(const std::string& path, const SavedSession& session);
// Throws ImageIOError naming the file and the reason: missing, not a MedClick session, a newer
// version, malformed JSON or fields, or a mask that cannot be read.
SavedSession readSessionFile(const std::string& path);

} // namespace medclick
