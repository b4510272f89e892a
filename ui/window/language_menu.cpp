#include "window/language_menu.h"

#include <QActionGroup>
#include <QSettings>

namespace medclick::ui {

LanguageMenu::LanguageMenu(QWidget* parent) : QMenu(tr("&Language"), parent) {
  auto* languages = new QActionGroup(this);
  const QString chosen = QSettings().value("ui/language").toString();
  const std::pair<QString, QString> choices[] = {{tr("System Default"), QString()}, {QStringLiteral("English"), "en"},
                                                 {QStringLiteral("简体中文"), "zh_CN"}};
  for (const auto& [label, code] : choices) {
    QAction* a = addAction(label);
    a->setCheckable(true);
    a->setChecked(code == chosen);
    languages->addAction(a);
    const QString c = code;
    connect(a, &QAction::triggered, this, [this, c] {
      QSettings settings;
      if (c.isEmpty())
        settings.remove("ui/language");
      else
        settings.setValue("ui/language", c);
      emit languageChosen(c);
    });
  }
}

} // namespace medclick::ui
