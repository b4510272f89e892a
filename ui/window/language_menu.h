#pragma once
// View → Language: the interface language for the next start, kept in the settings (ui/language;
// empty: the system's). main() loads the chosen catalogue before any window exists.

#include <QMenu>

namespace medclick::ui {

class LanguageMenu : public QMenu {
  Q_OBJECT

public:
  explicit LanguageMenu(QWidget* parent = nullptr);

signals:
  void languageChosen(QString code); // saved; applies at the next start
};

} // namespace medclick::ui
