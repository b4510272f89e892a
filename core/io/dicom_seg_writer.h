#pragma once
// A label map as a DICOM Segmentation object (binary segments), the form a PACS keeps segmentations
// in, written with DCMTK's dcmseg. The object belongs to the study of the DICOM series the label map
// was drawn on: patient, study and frame of reference are taken over from the series; each segment
// (its name as Segment Label, its colour as Recommended Display CIELab Value) has one frame per slice
// it occupies, placed at that slice's Image Position (Patient) and referencing that slice's SOP
// instance as its source image.

#include "image/label_mask.h"
#include "segments/segment.h"

#include <string>
#include <vector>

namespace medclick {

struct DicomSegReference {
  std::string folder;    // the DICOM series the label map was drawn on
  std::string seriesUid; // as readDicomSeries takes it (empty: the series it would choose)
};

// Throws ImageIOError naming the file: a reference that is not a readable DICOM series, a label map
// whose grid is not the series' (size, spacing, orientation and every slice's position), a map with
// no segment voxels, or DCMTK's own refusal to write.
void writeDicomSeg(const LabelMask& labels, const std::vector<Segment>& segments, const DicomSegReference& reference,
                   const std::string& path);

} // namespace medclick
