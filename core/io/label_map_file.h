#pragma once
// A label map on disk with its segments' names and colours, in the forms the field's tools open:
// - "NAME.seg.nrrd": a Slicer segmentation, the label map with Slicer's segment fields in the NRRD
//   header (Segment0_Name:=..., Segment0_LabelValue:=..., Segment0_Color:=r g b in 0..1, one layer);
// - any other NIfTI/NRRD/MetaImage name: the label map (uint8, or uint16 beyond 255) with an
//   ITK-SNAP label description "NAME.label.txt" beside it;
// - "NAME.png" (2D): the index image (label values; a one-segment map as 0/255), its label
//   description, and "NAME.colour.png", the segments in their colours on black, for a report.
// Reading takes the names and colours from the same places; a label without one gets
// SegmentList::makeDefault's.

#include "image/label_mask.h"
#include "segments/segment.h"

#include <string>
#include <vector>

namespace medclick {

struct LabelMapFile {
  LabelMask labels;
  std::vector<Segment> segments; // every label of the map, and every described one, in label order
};

// `segments` name the labels; labels of the map without a segment are written with default names.
// Throws ImageIOError as writeMask does.
void writeLabelMap(const LabelMask& labels, const std::vector<Segment>& segments, const std::string& path);
// Throws ImageIOError for an unreadable map or description (with the file and the reason).
LabelMapFile readLabelMap(const std::string& path);

// "case.nii.gz" -> "case.label.txt", "case.seg.nrrd" -> "case.label.txt", "x.png" -> "x.label.txt".
std::string labelDescriptionPathFor(const std::string& labelMapPath);
bool isSlicerSegmentationPath(const std::string& path); // "....seg.nrrd"
// "x.png" -> "x.colour.png".
std::string colourPicturePathFor(const std::string& labelMapPath);

} // namespace medclick
