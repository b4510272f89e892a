#include "gui_services.h"

#include "common/engine_choice.h"

#include <QStandardPaths>

namespace medclick::gui {

medclick::ui::MainWindowServices makeServices() {
  medclick::ui::MainWindowServices services;
  services.createEngine = [](const medclick::ui::ModelEntry& entry, const QString& device) {
    return std::shared_ptr<InteractiveEngine>(
        app::createEngineByName(entry.model.toStdString(), entry.weightsPath.toStdString(), device.toStdString()));
  };
  services.models = {{QObject::tr("IKAN (bundled weights)"), "ikan", QString()},
                     {QObject::tr("Classical (watershed, no model)"), "classic", QString()}};
  services.dataFolder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
  return services;
}

} // namespace medclick::gui
