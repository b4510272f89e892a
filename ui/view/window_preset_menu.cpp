#include "view/window_preset_menu.h"

namespace medclick::ui {

WindowPresetMenu::WindowPresetMenu(QWidget* parent) : QMenu(tr("Window &Presets"), parent) {
  addAction(tr("Full Range"), this, [this] { emit presetChosen(std::nullopt); });
  const std::tuple<QString, double, double> ctPresets[] = {{tr("CT Soft Tissue (400/40)"), 400, 40},
                                                           {tr("CT Lung (1500/−600)"), 1500, -600},
                                                           {tr("CT Bone (2000/300)"), 2000, 300},
                                                           {tr("CT Brain (80/40)"), 80, 40}};
  for (const auto& [label, window, level] : ctPresets) {
    const WindowLevel preset{window, level};
    addAction(label, this, [this, preset] { emit presetChosen(preset); });
  }
}

} // namespace medclick::ui
