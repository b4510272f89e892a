#pragma once
// View → Window Presets: the image's full intensity range and the usual CT window/level pairs in
// Hounsfield units (soft tissue, lung, bone, brain), as radiology viewers offer them.

#include "view/slice_renderer.h"

#include <QMenu>

#include <optional>

namespace medclick::ui {

class WindowPresetMenu : public QMenu {
  Q_OBJECT

public:
  explicit WindowPresetMenu(QWidget* parent = nullptr);

signals:
  // nullopt: the full range of the open image (the viewer knows it).
  void presetChosen(std::optional<medclick::ui::WindowLevel> preset);
};

} // namespace medclick::ui
