#pragma once
// One structure of a multi-label segmentation (issue 23): the label value its voxels carry in the
// label map, and how the tools show it (ITK-SNAP's label table, Slicer's segment). Label 0 is the
// background and never a segment.

#include <array>
#include <cstdint>
#include <string>

namespace medclick {

struct Segment {
  std::uint16_t label = 1;                // 1..65535: the voxel value in a uint8/uint16 label map
  std::string name;                       // "Liver", "Lesion 2"
  std::array<std::uint8_t, 3> colour{255, 0, 0}; // RGB, 0..255
  double opacity = 1.0;                   // 0..1 (ITK-SNAP's -A- column)
  bool visible = true;                    // drawn on the slices
  bool meshVisible = true;                // drawn in the 3D view
  bool locked = false;                    // its voxels are protected from the active segment's edits
};

} // namespace medclick
