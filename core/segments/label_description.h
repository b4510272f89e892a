#pragma once
// ITK-SNAP's label description file, the plain-text table of label values, colours, opacity,
// visibility and names that ITK-SNAP imports and exports (Segmentation → Import/Export Label
// Descriptions) and that sits beside a label map so its names and colours travel with it:
//
//   # comment lines
//   IDX  -R- -G- -B-  -A--  VIS MSH  "LABEL"
//     1  255   0   0     1    1   1  "Label 1"
//
// IDX 0 ("Clear Label") is the background: it is written first, as ITK-SNAP does, and not read
// back as a segment. A segment's lock is MedClick's own and is not part of the format.

#include "segments/segment.h"

#include <string>
#include <vector>

namespace medclick {

// Throws ImageIOError naming the source and the line: a field that is not a number or out of range
// (IDX 0..65535, colours 0..255, alpha 0..1, VIS/MSH 0 or 1), a name without its closing quote, a
// label value given twice, or a file over 8 MiB (65,536 labels take under 5 MiB).
std::vector<Segment> parseLabelDescription(const std::string& text, const std::string& sourceName);
std::vector<Segment> readLabelDescription(const std::string& path);

std::string formatLabelDescription(const std::vector<Segment>& segments);
// Atomic (a temporary beside the target, renamed); a quote in a name becomes an apostrophe.
void writeLabelDescription(const std::string& path, const std::vector<Segment>& segments);

} // namespace medclick
