#include "model/model_selection.h"

namespace medclick::ui {

QList<ModelEntry> ModelSelection::choose(const ModelRegistry& models, int chosen, const QString& device, bool clickEngineReady) {
  const ModelEntry entry = models.at(chosen);
  QList<ModelEntry> load;
  if (entry.automatic) {
    const bool clickModelStale = interactiveIndex_ < 0 || !clickEngineReady || interactiveDevice_ != device || clicksGoToVolumeModel_;
    if (clickModelStale) {
      if (interactiveIndex_ < 0) interactiveIndex_ = models.firstInteractive();
      if (interactiveIndex_ >= 0) {
        load << models.at(interactiveIndex_);
        interactiveDevice_ = device;
        clicksGoToVolumeModel_ = false;
      }
    }
  } else {
    clicksGoToVolumeModel_ = entry.volume;
    if (!entry.volume) {
      interactiveIndex_ = chosen;
      interactiveDevice_ = device;
    }
  }
  load << entry;
  return load;
}

} // namespace medclick::ui
