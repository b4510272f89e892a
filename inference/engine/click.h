#pragma once
// A user's click: a pixel position (x = column, y = row, 0-based, sub-pixel allowed) and its label.
// Torch-free so that core/ and ui/ can use it without compiling torch headers.

#include <vector>

namespace medclick {

struct Click {
  double x = 0.0;
  double y = 0.0;
  bool positive = true;
};

using ClickList = std::vector<Click>;

} // namespace medclick
