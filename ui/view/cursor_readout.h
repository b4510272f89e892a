#pragma once
// The status bar's readout of the voxel under the mouse: its index, its physical position in mm
// (through the image's spacing, origin and direction) and its intensity (three values for RGB).

#include "image/image.h"

#include <QWidget>

#include <array>
#include <cstddef>
#include <optional>

class QLabel;

namespace medclick::ui {

class CursorReadout : public QWidget {
  Q_OBJECT

public:
  explicit CursorReadout(QWidget* parent = nullptr);

  // Clears the readout when there is no voxel (the mouse left the image) or no image.
  void showVoxel(const Image* image, std::optional<std::array<std::size_t, 3>> voxel);
  QString text() const; // what it shows, for tests and accessibility

private:
  QLabel* voxel_;
  QLabel* position_;
  QLabel* intensity_;
};

} // namespace medclick::ui
