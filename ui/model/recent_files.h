#pragma once
// File → Open Recent: the last files opened, newest first, kept in the settings.

#include <QStringList>

namespace medclick::ui {

class RecentFiles {
public:
  static constexpr int kMaxFiles = 10;
  QStringList list() const;
  // Moves (or adds) path to the front and drops the oldest past kMaxFiles.
  void remember(const QString& path);
};

} // namespace medclick::ui
