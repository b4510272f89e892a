#include "model/recent_files.h"

#include <QSettings>

namespace medclick::ui {

QStringList RecentFiles::list() const { return QSettings().value("recentFiles").toStringList(); }

void RecentFiles::remember(const QString& path) {
  QStringList recent = list();
  recent.removeAll(path);
  recent.prepend(path);
  while (recent.size() > kMaxFiles) recent.removeLast();
  QSettings().setValue("recentFiles", recent);
}

} // namespace medclick::ui
