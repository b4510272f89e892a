#pragma once
// What the engine choice loads when the user picks a model in the tool bar. A click model (IKAN,
// the classical one, CAISeg) is loaded alone. An automatic model (KM-UNet, KANU-Net) only proposes
// a mask, and the clicks after it need a 2D click model: the last one chosen, or the first offered
// (IKAN) when none was; it is loaded again when the device changed or a 3D model took the clicks.

#include "model/model_registry.h"

namespace medclick::ui {

class ModelSelection {
public:
  // The entries to load, in order, for entry `chosen` of `models` on `device`; clickEngineReady:
  // a click engine is loaded now. The click model comes first, so the automatic one is loaded last.
  QList<ModelEntry> choose(const ModelRegistry& models, int chosen, const QString& device, bool clickEngineReady);

private:
  int interactiveIndex_ = -1;          // the 2D model whose clicks refine an automatic mask
  QString interactiveDevice_;          // the device it was loaded on
  bool clicksGoToVolumeModel_ = false; // the click engine now is a 3D one
};

} // namespace medclick::ui
