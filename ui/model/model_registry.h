#pragma once
// The models the chooser offers: the built-in ones, then the weights the user added (Weights…,
// fine-tuning), which are remembered in the settings and come back at the next start while their
// files exist. No widgets: the main window shows the list, this class keeps it.

#include <QList>
#include <QString>

namespace medclick::ui {

struct ModelEntry {
  QString label;       // what the chooser shows
  QString model;       // engine name: "ikan", "classic", ...
  QString weightsPath; // empty: the model's bundled weights
  bool volume = false; // a 3D engine (CAISeg): clicks in any view refine the whole lesion
  // A clickless 2D segmenter (KM-UNet, KANU-Net): Auto proposes a mask, the 2D interactive model's
  // clicks refine it.
  bool automatic = false;
  // 2D clicks on small structures (OCT fluid pockets): the zoom-in starts at the first click.
  bool smallObjects = false;
};

class ModelRegistry {
public:
  // The built-in entries, then the remembered ones whose weights still exist.
  explicit ModelRegistry(QList<ModelEntry> builtIn);

  const QList<ModelEntry>& entries() const { return entries_; }
  ModelEntry at(int index) const { return entries_.value(index); } // an empty entry out of range
  int size() const { return static_cast<int>(entries_.size()); }
  // Appends the entry and remembers every added one in the settings.
  void add(const ModelEntry& entry);
  // The first 2D interactive entry (IKAN by default), -1 if none: what clicks after Auto use.
  int firstInteractive() const;

private:
  int builtInCount_ = 0;
  QList<ModelEntry> entries_;
};

} // namespace medclick::ui
