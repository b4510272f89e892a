#pragma once
// --click X,Y,+ / X,Y,- : a 0-based pixel (column, row) and its label.

#include "engine/click.h"

#include <string>

namespace medclick::cli {

Click parseClick(const std::string& text); // throws UsageError with the offending text

} // namespace medclick::cli
