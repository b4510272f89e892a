#pragma once
// What the GUI gets from the app layer: engines by name (bundled weights found as the CLI finds them),
// the built-in model list, the user's data folder and the fine-tune dialog.

#include "window/main_window.h"

namespace medclick::gui {

medclick::ui::MainWindowServices makeServices();

} // namespace medclick::gui
