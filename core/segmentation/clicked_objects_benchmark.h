#pragma once
// What keepClickedObjects (clicked_objects.h) costs on every 3D click, for `medclick-cli bench --model
// clicked-objects`: a synthetic probability map on a BraTS grid (240×240×155) and on a CT-sized one
// (512×512×300), with one 35-voxel-radius lesion under a positive click and a lattice of small false
// alarms to remove. Best of `repeat` runs, one thread.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace medclick {

struct ClickedObjectsTiming {
  std::array<std::size_t, 3> grid{0, 0, 0};
  double milliseconds = 0;
  std::size_t voxelsRemoved = 0;
};

std::vector<ClickedObjectsTiming> benchmarkClickedObjects(int repeat);

std::string toTextLine(const ClickedObjectsTiming& timing);
std::string toJsonLine(const ClickedObjectsTiming& timing);

} // namespace medclick
