#include "window/main_window.h"

#include "view/cursor_readout.h"
#include "view/surface_view.h"
#include "view/window_preset_menu.h"
#include "window/language_menu.h"
#include "window/segment_list_dock.h"
#include "window/segmentation_tool_bar.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QTimer>

namespace medclick::ui {

namespace {

QString imageFileFilter() {
  return MainWindow::tr("Images (*.nii *.nii.gz *.nrrd *.nhdr *.mha *.mhd *.png *.jpg *.jpeg *.bmp *.tif *.tiff *.dcm);;All files (*)");
}

// A save dialog's path with the extension the filter promised (the dialog leaves it to the user).
QString withExtension(QString path, const QStringList& accepted) {
  for (const QString& extension : accepted)
    if (path.endsWith(extension)) return path;
  return path + accepted.first();
}

// Opening reads on another thread while the window repaints; the cursor says it is busy.
template <class Open>
bool withWaitCursor(Open open) {
  QApplication::setOverrideCursor(Qt::WaitCursor);
  const bool opened = open();
  QApplication::restoreOverrideCursor();
  return opened;
}

} // namespace

MainWindow::MainWindow(MainWindowServices services, QWidget* parent)
    : QMainWindow(parent), services_(std::move(services)), controller_(new SessionController(this)),
      document_(new SessionDocument(*controller_, services_.dataFolder, this)), viewer_(new OrthoViewer(this)),
      surfaceDebounce_(new QTimer(this)), surface_(new SurfaceView), models_(services_.models) {
  if (!services_.confirm)
    services_.confirm = [this](const QString& q) { return QMessageBox::question(this, tr("MedClick"), q) == QMessageBox::Yes; };
  if (!services_.showError) services_.showError = [this](const QString& m) { QMessageBox::critical(this, tr("MedClick"), m); };
  setWindowTitle(tr("MedClick"));
  setAcceptDrops(true);
  setCentralWidget(viewer_);
  viewer_->setSurfaceWidget(surface_);
  surface_->setObjectName("surfaceView");
  surfaceDebounce_->setSingleShot(true);
  surfaceDebounce_->setInterval(300);
  connect(surfaceDebounce_, &QTimer::timeout, this, &MainWindow::updateSurface);
  resize(1200, 800);

  segmentDock_ = new SegmentListDock(*controller_, services_.confirm, services_.showError, this);
  addDockWidget(Qt::RightDockWidgetArea, segmentDock_);
  buildFileMenu();
  buildEditMenu();
  buildSegmentationMenu();
  buildViewMenu();
  buildToolsAndHelpMenus();
  QStringList labels;
  for (const auto& m : models_.entries()) labels << m.label;
  toolBar_ = new SegmentationToolBar(labels, autoMask_, this);
  addToolBar(toolBar_);
  buildStatusBar();
  connectViews();
  connectController();
  chooseEngine();
  updateActions();
}

MainWindow::~MainWindow() = default;

bool MainWindow::openSegmentation(const QString& path) {
  if (document_->hasUnsavedChanges() &&
      !services_.confirm(tr("The segmentation has changes that were not saved or exported, and opening another replaces it "
                            "(it cannot be undone). Open anyway?")))
    return false;
  return document_->openSegmentation(path);
}

void MainWindow::buildFileMenu() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open Image…"), QKeySequence::Open, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Image"), QString(), imageFileFilter());
    if (!path.isEmpty()) openPath(path);
  });
  file->addAction(tr("Open &DICOM Folder…"), this, [this] {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open DICOM Folder"));
    if (!folder.isEmpty()) openPath(folder);
  });
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  updateRecentMenu();
  file->addSeparator();
  file->addAction(tr("Open &Session…"), this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Session"), QString(), tr("MedClick sessions (*.medclick)"));
    if (!path.isEmpty()) openSession(path);
  });
  needImage_ << file->addAction(tr("Open Se&gmentation…"), this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Segmentation"), QString(),
                                                      tr("Label maps (*.nii *.nii.gz *.nrrd *.nhdr *.mha *.mhd *.png *.tif *.tiff);;All files (*)"));
    if (!path.isEmpty()) openSegmentation(path);
  });
  needImage_ << file->addAction(tr("&Save Session…"), QKeySequence::Save, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Session"), QString(), tr("MedClick sessions (*.medclick)"));
    if (!path.isEmpty()) saveSession(withExtension(path, {".medclick"}));
  });
  QMenu* exportMenu = file->addMenu(tr("&Export Mask"));
  needImage_ << exportMenu->menuAction();
  exportMenu->addAction(tr("As &NIfTI…"), QKeySequence(tr("Ctrl+E")), this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Mask"), QString(), tr("NIfTI (*.nii.gz *.nii)"));
    if (!path.isEmpty()) exportMask(withExtension(path, {".nii.gz", ".nii"}));
  });
  exportMenu->addAction(tr("As &Slicer Segmentation…"), this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Segmentation"), QString(), tr("Slicer segmentation (*.seg.nrrd)"));
    if (!path.isEmpty()) exportMask(withExtension(path, {".seg.nrrd"}));
  });
  exportMenu->addAction(tr("As &DICOM SEG…"), this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export DICOM SEG"), QString(), tr("DICOM (*.dcm)"));
    if (!path.isEmpty()) document_->exportDicomSeg(withExtension(path, {".dcm"}));
  });
  QAction* png = exportMenu->addAction(tr("As &PNG…"), this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Mask"), QString(), tr("PNG (*.png)"));
    if (!path.isEmpty()) exportMask(withExtension(path, {".png"}));
  });
  png->setObjectName("exportPng");
  needVolume_ << exportMenu->addAction(tr("As PNG &Folder (one per slice)…"), this, [this] {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export Mask Slices"));
    if (!folder.isEmpty()) exportMaskSlices(folder);
  });
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
}

void MainWindow::buildEditMenu() {
  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  undo_ = edit->addAction(tr("&Undo"), QKeySequence::Undo, controller_, &SessionController::undo);
  redo_ = edit->addAction(tr("&Redo"), QKeySequence(tr("Ctrl+Shift+Z")), controller_, &SessionController::redo);
  edit->addSeparator();
  needImage_ << edit->addAction(tr("&Clear Slice"), QKeySequence(tr("Ctrl+Backspace")), this,
                                [this] { controller_->clearSlice(viewer_->currentSlice()); });
  needImage_ << edit->addAction(tr("&Fill Holes"), QKeySequence(tr("Ctrl+F")), this, [this] { controller_->fillHoles(viewer_->currentSlice()); });
  needImage_ << edit->addAction(tr("&Accept (add to local cases)"), QKeySequence(tr("Ctrl+Return")), this, &MainWindow::acceptCase);
}

void MainWindow::buildSegmentationMenu() {
  QMenu* segmentation = menuBar()->addMenu(tr("&Segmentation"));
  auto* tools = new QActionGroup(this);
  const std::pair<QString, ViewTool> choices[] = {{tr("&Click (left +, right −)"), ViewTool::Click},
                                                  {tr("&Brush"), ViewTool::Brush},
                                                  {tr("&Eraser"), ViewTool::Eraser},
                                                  {tr("&Navigate (move cross-hairs)"), ViewTool::Navigate}};
  int key = 1;
  for (const auto& [label, tool] : choices) {
    QAction* a = segmentation->addAction(label);
    a->setCheckable(true);
    a->setShortcut(QKeySequence(QString::number(key++)));
    a->setChecked(tool == ViewTool::Click);
    tools->addAction(a);
    const ViewTool t = tool;
    connect(a, &QAction::triggered, viewer_, [this, t] { viewer_->setTool(t); });
  }
  segmentation->addSeparator();
  needVolume_ << segmentation->addAction(tr("Propagate to &Next Slice"), QKeySequence(tr("Ctrl+]")), this,
                                         [this] { controller_->propagate(viewer_->currentSlice(), +1); });
  needVolume_ << segmentation->addAction(tr("Propagate to &Previous Slice"), QKeySequence(tr("Ctrl+[")), this,
                                         [this] { controller_->propagate(viewer_->currentSlice(), -1); });
  needVolume_ << segmentation->addAction(tr("Fill &Between Slices"), QKeySequence(tr("Ctrl+Shift+I")), this,
                                         [this] { controller_->fillBetweenSlices(viewer_->currentSlice().axis); });
  needVolume_.back()->setObjectName("fillBetweenSlices");
  needVolume_.back()->setToolTip(tr("Fills the active segment on every slice between two slices where it is drawn, in the current view's orientation"));
  autoMask_ = segmentation->addAction(tr("&Automatic Mask"), QKeySequence(tr("Ctrl+Shift+A")), this, &MainWindow::autoSegment);
  autoMask_->setObjectName("autoMask");
  autoMask_->setIconText(tr("Auto"));
  autoMask_->setToolTip(tr("Automatic mask from the chosen automatic 2D model (KM-UNet, KANU-Net) or 3D model; clicks then refine it"));
}

void MainWindow::buildViewMenu() {
  QMenu* view = menuBar()->addMenu(tr("&View"));
  QAction* outline = view->addAction(tr("Mask &Outline Only"));
  outline->setCheckable(true);
  connect(outline, &QAction::toggled, this, [this](bool on) {
    OverlayStyle style = viewer_->overlayStyle();
    style.outlineOnly = on;
    viewer_->setOverlayStyle(style);
  });
  view->addAction(segmentDock_->toggleViewAction());
  view->addAction(tr("&Reset Zoom"), QKeySequence(tr("Ctrl+0")), viewer_, &OrthoViewer::resetZoom);
  auto* presets = new WindowPresetMenu(view);
  view->addMenu(presets);
  connect(presets, &WindowPresetMenu::presetChosen, viewer_, [this](std::optional<WindowLevel> preset) {
    if (controller_->image()) viewer_->setWindowLevel(preset ? *preset : WindowLevel::fullRange(*controller_->image()));
  });
  auto* language = new LanguageMenu(view);
  view->addMenu(language);
  connect(language, &LanguageMenu::languageChosen, this,
          [this] { statusBar()->showMessage(tr("The language changes at the next start."), 5'000); });
}

void MainWindow::buildToolsAndHelpMenus() {
  QMenu* toolsMenu = menuBar()->addMenu(tr("&Tools"));
  QAction* fineTune = toolsMenu->addAction(tr("&Fine-tune on Local Data…"), this, [this] {
    if (services_.openFineTune) services_.openFineTune(this, annotatedCasesFolder());
  });
  fineTune->setEnabled(static_cast<bool>(services_.openFineTune));

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About MedClick"), this, [this] {
    QMessageBox::about(this, tr("About MedClick"),
                       tr("<b>MedClick</b> %1<br>Click-based interactive segmentation of medical images.<br>"
                          "Left click: object; right click or Shift+click: background; wheel: slice; Ctrl+wheel: zoom; "
                          "middle drag: pan; right drag: window/level.")
                           .arg(QApplication::applicationVersion()));
  });
}

void MainWindow::buildStatusBar() {
  cursorReadout_ = new CursorReadout;
  deviceLabel_ = new QLabel(tr("no model"));
  timeLabel_ = new QLabel;
  statusBar()->addWidget(cursorReadout_);
  statusBar()->addPermanentWidget(deviceLabel_);
  statusBar()->addPermanentWidget(timeLabel_);
}

void MainWindow::connectViews() {
  connect(toolBar_, &SegmentationToolBar::modelChanged, this, &MainWindow::chooseEngine);
  connect(toolBar_, &SegmentationToolBar::weightsFileChosen, this, &MainWindow::addWeightsFile);
  connect(toolBar_, &SegmentationToolBar::brushSizeChanged, viewer_, [this](int diameter) { viewer_->setBrushRadius(diameter / 2.0); });
  connect(toolBar_, &SegmentationToolBar::opacityChanged, viewer_, [this](double opacity) {
    OverlayStyle style = viewer_->overlayStyle();
    style.opacity = opacity;
    viewer_->setOverlayStyle(style);
  });
  viewer_->setBrushRadius(toolBar_->brushSize() / 2.0);
  OverlayStyle style = viewer_->overlayStyle();
  style.opacity = toolBar_->opacity();
  viewer_->setOverlayStyle(style);

  connect(viewer_, &OrthoViewer::clickRequested, this, &MainWindow::clickOnSlice);
  connect(viewer_, &OrthoViewer::brushRequested, this, [this](SliceRef slice, double x, double y, bool object) {
    controller_->paint(slice, x, y, toolBar_->brushSize() / 2.0, object);
  });
  connect(viewer_, &OrthoViewer::voxelHovered, cursorReadout_,
          [this](std::optional<std::array<std::size_t, 3>> voxel) { cursorReadout_->showVoxel(controller_->image().get(), voxel); });
  connect(document_, &SessionDocument::imageChanged, this, &MainWindow::showImage);
  connect(document_, &SessionDocument::failed, this, &MainWindow::reportError);
  connect(document_, &SessionDocument::statusMessage, statusBar(), &QStatusBar::showMessage);
}

void MainWindow::connectController() {
  connect(controller_, &SessionController::snapshotChanged, this, [this] {
    viewer_->setSnapshot(controller_->snapshot());
    surfaceChanged_ = surfaceChanged_.united(controller_->snapshot()->changed);
    surfaceDebounce_->start();
    updateActions();
  });
  connect(controller_, &SessionController::refinementFinished, this,
          [this](double ms) { timeLabel_->setText(tr("Last refinement: %1 ms").arg(ms, 0, 'f', 0)); });
  connect(controller_, &SessionController::engineChanged, this,
          [this](const QString& name, const QString& device) { deviceLabel_->setText(tr("%1 on %2").arg(name, device)); });
  connect(controller_, &SessionController::automaticSegmenterChanged, this, [this](const QString& name, const QString& device) {
    deviceLabel_->setText(tr("%1 on %2, clicks: %3").arg(name, device, controller_->engineName()));
  });
  connect(controller_, &SessionController::operationFailed, this, &MainWindow::reportError);
  connect(controller_, &SessionController::propagated, this, [this](SliceRef to) {
    auto cursor = viewer_->cursor();
    cursor[static_cast<int>(to.axis)] = to.index;
    viewer_->setActiveAxis(to.axis);
    viewer_->setCursor(cursor);
  });
  connect(controller_, &SessionController::busyChanged, this, [this](bool busy) {
    if (busy)
      statusBar()->showMessage(tr("Refining…"));
    else
      statusBar()->clearMessage();
  });
}

ModelEntry MainWindow::chosenModel() const { return models_.at(toolBar_->modelIndex()); }

void MainWindow::updateActions() {
  const bool image = controller_->hasImage();
  const bool volume = image && controller_->image()->geometry().hasDepth();
  for (QAction* a : needImage_) a->setEnabled(image);
  for (QAction* a : needVolume_) a->setEnabled(volume);
  autoMask_->setEnabled((volume && chosenModel().volume) || (image && chosenModel().automatic));
  const auto& snapshot = controller_->snapshot();
  undo_->setEnabled(snapshot && snapshot->canUndo);
  redo_->setEnabled(snapshot && snapshot->canRedo);
}

void MainWindow::autoSegment() {
  if (!controller_->hasImage()) return;
  if (!chosenModel().automatic && !chosenModel().volume) {
    reportError(tr("Choose an automatic model (KM-UNet, KANU-Net) or a 3D model for an automatic mask."));
    return;
  }
  controller_->autoSegment(viewer_->currentSlice());
}

void MainWindow::clickOnSlice(const SliceRef& slice, double x, double y, bool positive) {
  if (controller_->engineName().isEmpty()) {
    reportError(tr("No segmentation model is ready: choose one in the tool bar."));
    return;
  }
  controller_->addClick(slice, {x, y, positive}); // a 3D engine takes the voxel under it (AnnotationSession::addClick)
}

void MainWindow::updateSurface() {
  const auto& snapshot = controller_->snapshot();
  if (!snapshot || !viewer_->isVolume()) return;
  try {
    surface_->updateMask(snapshot->mask(), snapshot->mask().geometry(), surfaceChanged_, snapshot->segmentList());
    surfaceChanged_ = VoxelBox{}; // kept after a failure: the next update looks there again
  } catch (const std::exception& e) {
    statusBar()->showMessage(tr("The 3D surface cannot be shown: %1").arg(QString::fromStdString(e.what())), 10'000);
  }
}

void MainWindow::chooseEngine() {
  if (models_.size() == 0) return;
  if (!services_.createEngine) {
    reportError(tr("This build offers no models."));
    return;
  }
  const ModelEntry entry = chosenModel();
  const QString device = toolBar_->device();
  document_->setModel(entry.model, entry.weightsPath);
  deviceLabel_->setText(tr("loading %1…").arg(entry.label));
  // The engine's capabilities give it its roles (SessionController::chooseEngine).
  for (const ModelEntry& load : selection_.choose(models_, toolBar_->modelIndex(), device, !controller_->engineName().isEmpty()))
    controller_->chooseEngine([create = services_.createEngine, load, device] { return create(load, device); });
  updateActions();
}

bool MainWindow::addWeightsFile(const QString& path) {
  const ModelEntry current = chosenModel();
  std::optional<ModelEntry> named;
  if (services_.describeWeights) {
    try {
      named = services_.describeWeights(path);
    } catch (const std::exception& e) {
      reportError(tr("These weights cannot be used.\n\n%1").arg(QString::fromStdString(e.what())));
      return false;
    }
  }
  addModel(named ? *named
                 : ModelEntry{QStringLiteral("%1 (%2)").arg(current.model, QFileInfo(path).completeBaseName()), current.model, path,
                              current.volume, current.automatic, current.smallObjects});
  return true;
}

void MainWindow::addModel(const ModelEntry& entry) {
  models_.add(entry);
  toolBar_->addModel(entry.label);
}

void MainWindow::reportError(const QString& message) {
  statusBar()->showMessage(message, 10'000);
  services_.showError(message);
}

void MainWindow::showImage() {
  viewer_->setImage(controller_->image());
  surface_->clear();
  surfaceChanged_ = VoxelBox{};
  setWindowTitle(tr("%1 — MedClick").arg(QFileInfo(document_->imagePath()).fileName()));
  recentFiles_.remember(document_->imagePath());
  updateRecentMenu();
  updateActions();
}

bool MainWindow::openPath(const QString& path) { return withWaitCursor([&] { return document_->open(path); }); }

bool MainWindow::openSession(const QString& path) { return withWaitCursor([&] { return document_->openSession(path); }); }

bool MainWindow::offerRecovery() {
  const std::optional<SavedSession> state = document_->readRecovery();
  if (!state) return false;
  const QString image = QString::fromStdString(state->imagePath);
  if (!services_.confirm(tr("MedClick did not close cleanly last time. Recover the autosaved segmentation of %1?").arg(image))) {
    document_->discardRecovery();
    return false;
  }
  return document_->open(image, QString::fromStdString(state->dicomSeriesUid), &*state);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  controller_->waitUntilIdle();
  if (document_->hasUnsavedChanges() && !services_.confirm(tr("The segmentation has changes that were not saved or exported. Close anyway?"))) {
    event->ignore();
    return;
  }
  toolBar_->rememberViewSettings();
  document_->closeCleanly(); // nothing to recover next time
  event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const auto urls = event->mimeData()->urls();
  if (urls.isEmpty() || !urls.first().isLocalFile()) return;
  const QString path = urls.first().toLocalFile();
  if (path.endsWith(".medclick"))
    openSession(path);
  else
    openPath(path);
}

void MainWindow::updateRecentMenu() {
  recentMenu_->clear();
  const QStringList recent = recentFiles_.list();
  for (const QString& path : recent) recentMenu_->addAction(path, this, [this, path] { openPath(path); });
  recentMenu_->setEnabled(!recent.isEmpty());
}

} // namespace medclick::ui
