#pragma once
// MedClick's main window: menus, tool bar, status bar and the image views around one annotation
// session. It wires widgets to the SessionController (which runs the models on its worker thread)
// and does the file work a clinician asks for: open images and sessions, export masks, autosave and
// recovery. Whatever needs the app layer (engines by name, fine-tuning) comes in through
// MainWindowServices, so ui/ links no model code.

#include "model/model_registry.h"
#include "model/recent_files.h"
#include "engine/segmentation_engine.h"
#include "model/session_controller.h"
#include "session/autosave_store.h"
#include "view/ortho_viewer.h"

#include <QMainWindow>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QActionGroup;
class QComboBox;
class QLabel;
class QMenu;
class QSlider;
class QSpinBox;
class QTimer;

namespace medclick::ui {

class SurfaceView;

struct MainWindowServices {
  // Builds an entry's engine, 2D, 3D or automatic alike (runs on the session worker thread; throws
  // with a message on failure). Its capabilities say what it does.
  std::function<std::shared_ptr<SegmentationEngine>(const ModelEntry& entry, const QString& device)> createEngine;
  // The entry for a weights file whose metadata names its model (nullopt: it names none, and the
  // chosen model's kind is assumed); throws with a message for a file that is not weights. May be empty.
  std::function<std::optional<ModelEntry>(const QString& weightsPath)> describeWeights;
  QList<ModelEntry> models;  // the built-in choices, the default first
  QString dataFolder;        // autosave/ and annotated-cases/ live here
  // Asks a yes/no question (default: a message box); tests answer it themselves.
  std::function<bool(const QString& question)> confirm;
  // Shows an error (default: a critical message box); tests record it.
  std::function<void(const QString& message)> showError;
  // Opens Tools → Fine-tune; returns nothing, reports new weights through addModel(). May be empty.
  std::function<void(QWidget* parent, const QString& annotatedCasesFolder)> openFineTune;
};

class MainWindow : public QMainWindow {
  Q_OBJECT

public:
  explicit MainWindow(MainWindowServices services, QWidget* parent = nullptr);
  ~MainWindow() override;

  // File work; each reports errors through services.showError and keeps the current work open.
  bool openPath(const QString& path); // an image file, or a folder holding a DICOM series
  bool openSession(const QString& path);
  bool saveSession(const QString& path);
  bool exportMask(const QString& path);        // .nii/.nii.gz/.nrrd/.mha, or .png for 2D images
  bool exportMaskSlices(const QString& folder); // one PNG per axial slice
  // Saves the image and mask as a case of the local dataset that fine-tuning can use.
  bool acceptCase();
  // At start-up: when the last run left an autosave, offers to recover it (returns true if restored).
  bool offerRecovery();
  void addModel(const ModelEntry& entry); // e.g. fine-tuned weights; remembered in the settings
  // "Weights…": adds and chooses the file, as the model its metadata names (KM-UNet weights become an
  // automatic entry), or else as the chosen model's. Returns false (error shown) for an unreadable file.
  bool addWeightsFile(const QString& path);

  SessionController& controller() { return *controller_; }
  OrthoViewer& viewer() { return *viewer_; }
  const AutosaveStore& autosaveStore() const { return autosave_; }
  QString annotatedCasesFolder() const;
  void autosaveNow();

protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

private:
  void buildActions();
  void buildToolBar();
  void buildStatusBar();
  void updateActions();
  void updateRecentMenu();
  void rememberRecent(const QString& path);
  void chooseEngine();
  void showVoxel(std::optional<std::array<std::size_t, 3>> voxel);
  void reportError(const QString& message);
  bool openImageWithState(const QString& path, const QString& seriesUid, const SavedSession* state);
  SavedSession currentState() const;
  void setTool(ViewTool tool);
  void applyWindowPreset(double window, double level);
  void updateSurface();
  bool volumeModelChosen() const;
  bool automaticModelChosen() const;
  void autoSegment(); // Auto: the chosen 3D model on the volume, or the automatic 2D model on the slice
  void clickOnSlice(const SliceRef& slice, double x, double y, bool positive);

  MainWindowServices services_;
  SessionController* controller_;
  OrthoViewer* viewer_;
  AutosaveStore autosave_;
  QTimer* autosaveTimer_;
  QTimer* autosaveDebounce_;
  QTimer* surfaceDebounce_;     // the 3D surface follows the mask, not every brush dab
  SurfaceView* surface_ = nullptr;
  bool dirty_ = false;          // changed since the last save or export
  bool autosaveDirty_ = false;  // changed since the last autosave
  QString imagePath_, seriesUid_;
  ModelRegistry models_;
  RecentFiles recentFiles_;
  int interactiveModelIndex_ = -1; // the 2D model whose clicks refine an automatic mask
  QString interactiveDevice_;      // the device it was loaded on
  bool clicksGoToVolumeModel_ = false; // the click engine now is a 3D one (CAISeg)

  QComboBox* modelCombo_ = nullptr;
  QComboBox* deviceCombo_ = nullptr;
  QSpinBox* brushSize_ = nullptr;
  QSlider* opacity_ = nullptr;
  QLabel* voxelLabel_ = nullptr;
  QLabel* positionLabel_ = nullptr;
  QLabel* intensityLabel_ = nullptr;
  QLabel* deviceLabel_ = nullptr;
  QLabel* timeLabel_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  QActionGroup* toolGroup_ = nullptr;
  QAction* autoMask_ = nullptr;
  QAction *undo_ = nullptr, *redo_ = nullptr, *saveSession_ = nullptr, *exportMenuAction_ = nullptr;
  QList<QAction*> needImage_;
  QList<QAction*> needVolume_;
};

} // namespace medclick::ui
