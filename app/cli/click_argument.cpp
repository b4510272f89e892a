#include "cli/click_argument.h"

#include "cli/command.h"

#include <sstream>

namespace medclick::cli {

Click parseClick(const std::string& text) {
  std::stringstream in(text);
  std::string x, y, label, extra;
  if (!std::getline(in, x, ',') || !std::getline(in, y, ',') || !std::getline(in, label, ',') || std::getline(in, extra, ','))
    throw UsageError("--click expects X,Y,+ or X,Y,- (got '" + text + "')");
  Click click;
  try {
    size_t used = 0;
    click.x = std::stod(x, &used);
    if (used != x.size()) throw std::invalid_argument(x);
    click.y = std::stod(y, &used);
    if (used != y.size()) throw std::invalid_argument(y);
  } catch (const std::exception&) {
    throw UsageError("--click expects numbers for X and Y (got '" + text + "')");
  }
  if (label != "+" && label != "-") throw UsageError("--click label must be + or - (got '" + text + "')");
  click.positive = label == "+";
  return click;
}

} // namespace medclick::cli
