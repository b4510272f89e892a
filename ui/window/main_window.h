#pragma once
// MedClick's main window: menus, tool bar, status bar and the image views around one annotation
// session. It only wires widgets: the SessionController runs the models on its worker thread, the
// SessionDocument does the file work (open, save, export, accept, autosave and recovery) off the GUI
// thread, ModelRegistry and ModelSelection say which models exist and what a choice loads.
// Whatever needs the app layer (engines by name, fine-tuning) comes in through MainWindowServices,
// so ui/ links no model code.

#include "model/model_registry.h"
#include "model/model_selection.h"
#include "model/recent_files.h"
#include "engine/segmentation_engine.h"
#include "model/session_controller.h"
#include "model/session_document.h"
#include "view/ortho_viewer.h"

#include <QMainWindow>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QActionGroup;
class QLabel;
class QMenu;
class QTimer;

namespace medclick::ui {

class CursorReadout;
class SegmentListDock;
class SegmentationToolBar;
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

  // File work (SessionDocument); each reports errors through services.showError and keeps the
  // current work open.
  bool openPath(const QString& path); // an image file, or a folder holding a DICOM series
  bool openSession(const QString& path);
  // Replaces the segmentation by a label map's (asks first when the current one has unsaved changes).
  bool openSegmentation(const QString& path);
  bool saveSession(const QString& path) { return document_->saveSession(path); }
  bool exportMask(const QString& path) { return document_->exportMask(path); } // .nii/.nii.gz/.nrrd/.mha, or .png for 2D
  bool exportDicomSeg(const QString& path) { return document_->exportDicomSeg(path); }
  bool exportMaskSlices(const QString& folder) { return document_->exportMaskSlices(folder); } // one PNG per axial slice
  // Saves the image and mask as a case of the local dataset that fine-tuning can use.
  bool acceptCase() { return document_->acceptCase(); }
  // At start-up: when the last run left an autosave, offers to recover it (returns true if restored).
  bool offerRecovery();
  void addModel(const ModelEntry& entry); // e.g. fine-tuned weights; remembered in the settings
  // "Weights…": adds and chooses the file, as the model its metadata names (KM-UNet weights become an
  // automatic entry), or else as the chosen model's. Returns false (error shown) for an unreadable file.
  bool addWeightsFile(const QString& path);

  SessionController& controller() { return *controller_; }
  OrthoViewer& viewer() { return *viewer_; }
  SegmentListDock& segmentDock() { return *segmentDock_; }
  const AutosaveStore& autosaveStore() const { return document_->autosaveStore(); }
  QString annotatedCasesFolder() const { return document_->annotatedCasesFolder(); }
  void autosaveNow() { document_->autosaveNow(); }

protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

private:
  void buildFileMenu();
  void buildEditMenu();
  void buildSegmentationMenu();
  void buildViewMenu();
  void buildToolsAndHelpMenus();
  void buildStatusBar();
  void connectViews();
  void connectController();
  void updateActions();
  void updateRecentMenu();
  void chooseEngine();
  void reportError(const QString& message);
  void showImage(); // the document opened a new image
  void updateSurface();
  void autoSegment(); // Auto: the chosen 3D model on the volume, or the automatic 2D model on the slice
  void clickOnSlice(const SliceRef& slice, double x, double y, bool positive);
  ModelEntry chosenModel() const;

  MainWindowServices services_;
  SessionController* controller_;
  SessionDocument* document_;
  OrthoViewer* viewer_;
  QTimer* surfaceDebounce_; // the 3D surface follows the mask, not every brush dab
  SurfaceView* surface_ = nullptr;
  VoxelBox surfaceChanged_; // where the mask changed since the surface was last built
  ModelRegistry models_;
  ModelSelection selection_;
  RecentFiles recentFiles_;

  SegmentationToolBar* toolBar_ = nullptr;
  SegmentListDock* segmentDock_ = nullptr;
  CursorReadout* cursorReadout_ = nullptr;
  QLabel* deviceLabel_ = nullptr;
  QLabel* timeLabel_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  QAction* autoMask_ = nullptr;
  QAction *undo_ = nullptr, *redo_ = nullptr;
  QList<QAction*> needImage_;
  QList<QAction*> needVolume_;
};

} // namespace medclick::ui
