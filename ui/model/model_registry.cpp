#include "model/model_registry.h"

#include <QFileInfo>
#include <QSettings>

namespace medclick::ui {

ModelRegistry::ModelRegistry(QList<ModelEntry> builtIn) : builtInCount_(static_cast<int>(builtIn.size())), entries_(std::move(builtIn)) {
  QSettings settings;
  const int remembered = settings.beginReadArray("models");
  for (int i = 0; i < remembered; ++i) {
    settings.setArrayIndex(i);
    const ModelEntry entry{settings.value("label").toString(), settings.value("model").toString(), settings.value("weights").toString(),
                           settings.value("volume", false).toBool(), settings.value("automatic", false).toBool(),
                           settings.value("small_objects", false).toBool()};
    if (QFileInfo::exists(entry.weightsPath)) entries_.append(entry);
  }
  settings.endArray();
}

void ModelRegistry::add(const ModelEntry& entry) {
  entries_.append(entry);
  QSettings settings;
  const QList<ModelEntry> added = entries_.mid(builtInCount_);
  settings.beginWriteArray("models", static_cast<int>(added.size()));
  for (int i = 0; i < added.size(); ++i) {
    settings.setArrayIndex(i);
    settings.setValue("label", added[i].label);
    settings.setValue("model", added[i].model);
    settings.setValue("weights", added[i].weightsPath);
    settings.setValue("volume", added[i].volume);
    settings.setValue("automatic", added[i].automatic);
    settings.setValue("small_objects", added[i].smallObjects);
  }
  settings.endArray();
}

int ModelRegistry::firstInteractive() const {
  for (int i = 0; i < entries_.size(); ++i)
    if (!entries_[i].volume && !entries_[i].automatic) return i;
  return -1;
}

} // namespace medclick::ui
