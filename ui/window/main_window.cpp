#include "window/main_window.h"

#include "core/data/modality_files.h"
#include "io/image_reader.h"
#include "io/image_writer.h"
#include "view/surface_view.h"

#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

#include <filesystem>

namespace medclick::ui {

namespace {

constexpr int kAutosaveIntervalMs = 30'000;
constexpr int kAutosaveDebounceMs = 1'000; // after a change: soon, but not once per brush dab

QString imageFileFilter() {
  return MainWindow::tr("Images (*.nii *.nii.gz *.nrrd *.nhdr *.mha *.mhd *.png *.jpg *.jpeg *.bmp *.tif *.tiff *.dcm);;All files (*)");
}

bool isVolumeGeometry(const ImageGeometry& g) { return g.dimension == 3 && g.size[2] > 1; }

} // namespace

MainWindow::MainWindow(MainWindowServices services, QWidget* parent)
    : QMainWindow(parent), services_(std::move(services)), controller_(new SessionController(this)), viewer_(new OrthoViewer(this)),
      autosave_(QDir(services_.dataFolder).filePath("autosave").toStdString()), autosaveTimer_(new QTimer(this)),
      autosaveDebounce_(new QTimer(this)), surfaceDebounce_(new QTimer(this)), surface_(new SurfaceView), models_(services_.models) {
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

  buildActions();
  buildToolBar();
  buildStatusBar();

  connect(viewer_, &OrthoViewer::clickRequested, this, &MainWindow::clickOnSlice);
  connect(viewer_, &OrthoViewer::brushRequested, this, [this](SliceRef slice, double x, double y, bool object) {
    controller_->paint(slice, x, y, brushSize_->value() / 2.0, object);
  });
  connect(viewer_, &OrthoViewer::voxelHovered, this, &MainWindow::showVoxel);
  connect(controller_, &SessionController::snapshotChanged, this, [this] {
    viewer_->setSnapshot(controller_->snapshot());
    dirty_ = autosaveDirty_ = true;
    autosaveDebounce_->start();
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

  autosaveTimer_->setInterval(kAutosaveIntervalMs);
  connect(autosaveTimer_, &QTimer::timeout, this, &MainWindow::autosaveNow);
  autosaveTimer_->start();
  autosaveDebounce_->setSingleShot(true);
  autosaveDebounce_->setInterval(kAutosaveDebounceMs);
  connect(autosaveDebounce_, &QTimer::timeout, this, &MainWindow::autosaveNow);

  chooseEngine();
  updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildActions() {
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
  saveSession_ = file->addAction(tr("&Save Session…"), QKeySequence::Save, this, [this] {
    QString path = QFileDialog::getSaveFileName(this, tr("Save Session"), QString(), tr("MedClick sessions (*.medclick)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(".medclick")) path += ".medclick";
    saveSession(path);
  });
  needImage_ << saveSession_;
  QMenu* exportMenu = file->addMenu(tr("&Export Mask"));
  exportMenuAction_ = exportMenu->menuAction();
  needImage_ << exportMenuAction_;
  exportMenu->addAction(tr("As &NIfTI…"), QKeySequence(tr("Ctrl+E")), this, [this] {
    QString path = QFileDialog::getSaveFileName(this, tr("Export Mask"), QString(), tr("NIfTI (*.nii.gz *.nii)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(".nii") && !path.endsWith(".nii.gz")) path += ".nii.gz";
    exportMask(path);
  });
  QAction* png = exportMenu->addAction(tr("As &PNG…"), this, [this] {
    QString path = QFileDialog::getSaveFileName(this, tr("Export Mask"), QString(), tr("PNG (*.png)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(".png")) path += ".png";
    exportMask(path);
  });
  QAction* slices = exportMenu->addAction(tr("As PNG &Folder (one per slice)…"), this, [this] {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export Mask Slices"));
    if (!folder.isEmpty()) exportMaskSlices(folder);
  });
  needVolume_ << slices;
  png->setObjectName("exportPng");
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  undo_ = edit->addAction(tr("&Undo"), QKeySequence::Undo, controller_, &SessionController::undo);
  redo_ = edit->addAction(tr("&Redo"), QKeySequence(tr("Ctrl+Shift+Z")), controller_, &SessionController::redo);
  edit->addSeparator();
  needImage_ << edit->addAction(tr("&Clear Slice"), QKeySequence(tr("Ctrl+Backspace")), this,
                                [this] { controller_->clearSlice(viewer_->currentSlice()); });
  needImage_ << edit->addAction(tr("&Fill Holes"), QKeySequence(tr("Ctrl+F")), this, [this] { controller_->fillHoles(viewer_->currentSlice()); });
  needImage_ << edit->addAction(tr("&Accept (add to local cases)"), QKeySequence(tr("Ctrl+Return")), this, &MainWindow::acceptCase);

  QMenu* segmentation = menuBar()->addMenu(tr("&Segmentation"));
  toolGroup_ = new QActionGroup(this);
  const std::pair<QString, ViewTool> tools[] = {{tr("&Click (left +, right −)"), ViewTool::Click},
                                                {tr("&Brush"), ViewTool::Brush},
                                                {tr("&Eraser"), ViewTool::Eraser},
                                                {tr("&Navigate (move cross-hairs)"), ViewTool::Navigate}};
  int key = 1;
  for (const auto& [label, tool] : tools) {
    QAction* a = segmentation->addAction(label);
    a->setCheckable(true);
    a->setShortcut(QKeySequence(QString::number(key++)));
    a->setChecked(tool == ViewTool::Click);
    a->setData(static_cast<int>(tool));
    toolGroup_->addAction(a);
    const ViewTool t = tool;
    connect(a, &QAction::triggered, this, [this, t] { setTool(t); });
  }
  segmentation->addSeparator();
  QAction* next = segmentation->addAction(tr("Propagate to &Next Slice"), QKeySequence(tr("Ctrl+]")), this,
                                          [this] { controller_->propagate(viewer_->currentSlice(), +1); });
  QAction* previous = segmentation->addAction(tr("Propagate to &Previous Slice"), QKeySequence(tr("Ctrl+[")), this,
                                              [this] { controller_->propagate(viewer_->currentSlice(), -1); });
  needVolume_ << next << previous;
  autoMask_ = segmentation->addAction(tr("&Automatic Mask"), QKeySequence(tr("Ctrl+Shift+A")), this, &MainWindow::autoSegment);
  autoMask_->setObjectName("autoMask");
  autoMask_->setIconText(tr("Auto"));
  autoMask_->setToolTip(tr("Automatic mask from the chosen automatic 2D model (KM-UNet, KANU-Net) or 3D model; clicks then refine it"));

  QMenu* view = menuBar()->addMenu(tr("&View"));
  QAction* outline = view->addAction(tr("Mask &Outline Only"));
  outline->setCheckable(true);
  connect(outline, &QAction::toggled, this, [this](bool on) {
    OverlayStyle style = viewer_->overlayStyle();
    style.outlineOnly = on;
    viewer_->setOverlayStyle(style);
  });
  view->addAction(tr("&Reset Zoom"), QKeySequence(tr("Ctrl+0")), viewer_, &OrthoViewer::resetZoom);
  QMenu* presets = view->addMenu(tr("Window &Presets"));
  presets->addAction(tr("Full Range"), this, [this] {
    if (controller_->image()) viewer_->setWindowLevel(WindowLevel::fullRange(*controller_->image()));
  });
  // The usual CT presets (window/level in Hounsfield units).
  const std::tuple<QString, double, double> ctPresets[] = {{tr("CT Soft Tissue (400/40)"), 400, 40},
                                                           {tr("CT Lung (1500/−600)"), 1500, -600},
                                                           {tr("CT Bone (2000/300)"), 2000, 300},
                                                           {tr("CT Brain (80/40)"), 80, 40}};
  for (const auto& [label, window, level] : ctPresets) {
    const double w = window, l = level;
    presets->addAction(label, this, [this, w, l] { applyWindowPreset(w, l); });
  }

  QMenu* language = view->addMenu(tr("&Language"));
  auto* languages = new QActionGroup(this);
  const QString chosen = QSettings().value("ui/language").toString();
  const std::pair<QString, QString> choices[] = {{tr("System Default"), QString()}, {QStringLiteral("English"), "en"},
                                                 {QStringLiteral("简体中文"), "zh_CN"}};
  for (const auto& [label, code] : choices) {
    QAction* a = language->addAction(label);
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
      statusBar()->showMessage(tr("The language changes at the next start."), 5'000);
    });
  }

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

void MainWindow::buildToolBar() {
  QToolBar* bar = addToolBar(tr("Segmentation"));
  bar->setObjectName("segmentationToolBar");
  bar->addWidget(new QLabel(tr(" Model: ")));
  modelCombo_ = new QComboBox;
  modelCombo_->setObjectName("modelCombo");
  for (const auto& m : models_.entries()) modelCombo_->addItem(m.label);
  bar->addWidget(modelCombo_);
  bar->addAction(tr("Weights…"), this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose Weights"), QString(), tr("Safetensors (*.safetensors)"));
    if (!path.isEmpty()) addWeightsFile(path);
  });
  bar->addAction(autoMask_);
  bar->addWidget(new QLabel(tr(" Device: ")));
  deviceCombo_ = new QComboBox;
  deviceCombo_->addItems({"auto", "cpu", "cuda"});
  bar->addWidget(deviceCombo_);
  QSettings settings;
  modelCombo_->setCurrentIndex(std::clamp(settings.value("engine/modelIndex", 0).toInt(), 0, std::max(0, int(models_.size()) - 1)));
  deviceCombo_->setCurrentText(settings.value("engine/device", "auto").toString());
  connect(modelCombo_, &QComboBox::currentIndexChanged, this, &MainWindow::chooseEngine);
  connect(deviceCombo_, &QComboBox::currentIndexChanged, this, &MainWindow::chooseEngine);

  bar->addSeparator();
  bar->addWidget(new QLabel(tr(" Brush: ")));
  brushSize_ = new QSpinBox;
  brushSize_->setRange(1, 200);
  brushSize_->setValue(settings.value("view/brushSize", 10).toInt());
  brushSize_->setSuffix(tr(" px"));
  connect(brushSize_, &QSpinBox::valueChanged, this, [this](int v) { viewer_->setBrushRadius(v / 2.0); });
  viewer_->setBrushRadius(brushSize_->value() / 2.0);
  bar->addWidget(brushSize_);
  bar->addWidget(new QLabel(tr(" Opacity: ")));
  opacity_ = new QSlider(Qt::Horizontal);
  opacity_->setRange(0, 100);
  opacity_->setMaximumWidth(120);
  opacity_->setValue(settings.value("view/opacity", 45).toInt());
  connect(opacity_, &QSlider::valueChanged, this, [this](int v) {
    OverlayStyle style = viewer_->overlayStyle();
    style.opacity = v / 100.0;
    viewer_->setOverlayStyle(style);
  });
  OverlayStyle style = viewer_->overlayStyle();
  style.opacity = opacity_->value() / 100.0;
  viewer_->setOverlayStyle(style);
  bar->addWidget(opacity_);
}

void MainWindow::buildStatusBar() {
  voxelLabel_ = new QLabel;
  positionLabel_ = new QLabel;
  intensityLabel_ = new QLabel;
  deviceLabel_ = new QLabel(tr("no model"));
  timeLabel_ = new QLabel;
  for (QLabel* l : {voxelLabel_, positionLabel_, intensityLabel_}) statusBar()->addWidget(l);
  statusBar()->addPermanentWidget(deviceLabel_);
  statusBar()->addPermanentWidget(timeLabel_);
}

void MainWindow::updateActions() {
  const bool image = controller_->hasImage();
  const bool volume = image && isVolumeGeometry(controller_->image()->geometry());
  for (QAction* a : needImage_) a->setEnabled(image);
  for (QAction* a : needVolume_) a->setEnabled(volume);
  autoMask_->setEnabled((volume && volumeModelChosen()) || (image && automaticModelChosen()));
  const auto& snapshot = controller_->snapshot();
  undo_->setEnabled(snapshot && snapshot->canUndo);
  redo_->setEnabled(snapshot && snapshot->canRedo);
}

bool MainWindow::volumeModelChosen() const { return models_.at(modelCombo_->currentIndex()).volume; }

bool MainWindow::automaticModelChosen() const { return models_.at(modelCombo_->currentIndex()).automatic; }

void MainWindow::autoSegment() {
  if (!controller_->hasImage()) return;
  if (!automaticModelChosen() && !volumeModelChosen()) {
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
    surface_->setMask(snapshot->mask(), snapshot->mask().geometry());
  } catch (const std::exception& e) {
    statusBar()->showMessage(tr("The 3D surface cannot be shown: %1").arg(QString::fromStdString(e.what())), 10'000);
  }
}

void MainWindow::setTool(ViewTool tool) { viewer_->setTool(tool); }

void MainWindow::applyWindowPreset(double window, double level) { viewer_->setWindowLevel({window, level}); }

void MainWindow::chooseEngine() {
  if (models_.size() == 0) return;
  const ModelEntry entry = models_.at(modelCombo_->currentIndex());
  const QString device = deviceCombo_->currentText();
  QSettings settings;
  settings.setValue("engine/modelIndex", modelCombo_->currentIndex());
  settings.setValue("engine/device", device);
  deviceLabel_->setText(tr("loading %1…").arg(entry.label));
  auto create = services_.createEngine;
  if (!create) {
    reportError(tr("This build offers no models."));
    return;
  }
  if (entry.automatic) {
    // The clicks after the automatic mask need a 2D interactive model: the last one chosen, or the
    // first offered (IKAN) when none was. Loaded first, so the label ends on the automatic model.
    if (interactiveModelIndex_ < 0 || controller_->engineName().isEmpty() || interactiveDevice_ != device || clicksGoToVolumeModel_) {
      if (interactiveModelIndex_ < 0) interactiveModelIndex_ = models_.firstInteractive();
      if (interactiveModelIndex_ >= 0) {
        const ModelEntry interactive = models_.at(interactiveModelIndex_);
        interactiveDevice_ = device;
        clicksGoToVolumeModel_ = false;
        controller_->chooseEngine([create, interactive, device] { return create(interactive, device); });
      }
    }
  } else {
    clicksGoToVolumeModel_ = entry.volume;
    if (!entry.volume) {
      interactiveModelIndex_ = modelCombo_->currentIndex();
      interactiveDevice_ = device;
    }
  }
  // The engine's capabilities give it its roles (SessionController::chooseEngine).
  controller_->chooseEngine([create, entry, device] { return create(entry, device); });
  if (autoMask_) updateActions();
}

bool MainWindow::addWeightsFile(const QString& path) {
  const ModelEntry current = models_.at(modelCombo_->currentIndex());
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
                              current.volume, current.automatic});
  return true;
}

void MainWindow::addModel(const ModelEntry& entry) {
  models_.add(entry);
  modelCombo_->addItem(entry.label);
  modelCombo_->setCurrentIndex(modelCombo_->count() - 1);
}

void MainWindow::reportError(const QString& message) {
  statusBar()->showMessage(message, 10'000);
  services_.showError(message);
}

void MainWindow::showVoxel(std::optional<std::array<std::size_t, 3>> voxel) {
  const auto& image = controller_->image();
  if (!voxel || !image) {
    voxelLabel_->clear();
    positionLabel_->clear();
    intensityLabel_->clear();
    return;
  }
  const auto [i, j, k] = *voxel;
  const auto p = image->geometry().indexToPhysical({double(i), double(j), double(k)});
  voxelLabel_->setText(tr("Voxel (%1, %2, %3)").arg(i).arg(j).arg(k));
  positionLabel_->setText(tr("Position (%1, %2, %3) mm").arg(p[0], 0, 'f', 1).arg(p[1], 0, 'f', 1).arg(p[2], 0, 'f', 1));
  QString value = QString::number(image->at(i, j, k, 0), 'g', 5);
  if (image->isRgb()) value = QStringLiteral("%1, %2, %3").arg(value).arg(image->at(i, j, k, 1)).arg(image->at(i, j, k, 2));
  intensityLabel_->setText(tr("Intensity %1").arg(value));
}

bool MainWindow::openPath(const QString& path) { return openImageWithState(path, QString(), nullptr); }

bool MainWindow::openImageWithState(const QString& path, const QString& seriesUid, const SavedSession* state) {
  std::shared_ptr<Image> image;
  std::vector<Image> extraModalities; // an nnU-Net case's NAME_0001, ... beside the NAME_0000 opened
  try {
    QApplication::setOverrideCursor(Qt::WaitCursor);
    ImageReadOptions options;
    options.dicomSeriesUid = seriesUid.toStdString();
    image = std::make_shared<Image>(readImage(path.toStdString(), options));
    const auto modalityPaths = nnunetModalityPaths(path.toStdString());
    extraModalities = readFurtherModalities(*image, modalityPaths.front(), {modalityPaths.begin() + 1, modalityPaths.end()});
    if (state) requireSameGrid(image->geometry(), state->mask.geometry(), "saved mask");
    QApplication::restoreOverrideCursor();
  } catch (const std::exception& e) {
    QApplication::restoreOverrideCursor();
    reportError(tr("Cannot open this image; the current work stays open.\n\n%1").arg(QString::fromStdString(e.what())));
    return false;
  }
  controller_->waitUntilIdle();
  if (controller_->hasImage() && dirty_) autosaveNow(); // the work being replaced stays recoverable
  imagePath_ = QFileInfo(path).absoluteFilePath();
  seriesUid_ = seriesUid;
  if (!extraModalities.empty())
    statusBar()->showMessage(tr("%n further modality(ies) of this case loaded for the automatic models", "", static_cast<int>(extraModalities.size())), 5000);
  controller_->openImage(image, std::move(extraModalities));
  viewer_->setImage(image);
  surface_->clear();
  if (state) controller_->loadSavedState(state->mask, state->clicks, state->volumeClicks);
  controller_->waitUntilIdle();
  // A freshly opened image is nothing to save yet; recovered work is, until saved or exported.
  dirty_ = autosaveDirty_ = state != nullptr;
  if (!state) autosaveDebounce_->stop();
  setWindowTitle(tr("%1 — MedClick").arg(QFileInfo(path).fileName()));
  if (image->nonFiniteCount() > 0)
    statusBar()->showMessage(tr("%1 NaN/Inf voxels were shown as the minimum intensity.").arg(image->nonFiniteCount()), 10'000);
  rememberRecent(imagePath_);
  updateActions();
  return true;
}

SavedSession MainWindow::currentState() const {
  SavedSession s;
  s.imagePath = imagePath_.toStdString();
  s.dicomSeriesUid = seriesUid_.toStdString();
  const ModelEntry entry = models_.at(modelCombo_->currentIndex());
  s.model = entry.model.toStdString();
  s.weightsPath = entry.weightsPath.toStdString();
  if (const auto& snapshot = controller_->snapshot()) {
    s.mask = snapshot->mask();
    s.clicks = snapshot->clicks;
    s.volumeClicks = snapshot->volumeClicks;
  } else {
    s.mask = LabelMask(controller_->image()->geometry());
  }
  return s;
}

bool MainWindow::openSession(const QString& path) {
  SavedSession state;
  try {
    state = readSessionFile(path.toStdString());
  } catch (const std::exception& e) {
    reportError(tr("Cannot open this session; the current work stays open.\n\n%1").arg(QString::fromStdString(e.what())));
    return false;
  }
  return openImageWithState(QString::fromStdString(state.imagePath), QString::fromStdString(state.dicomSeriesUid), &state);
}

bool MainWindow::saveSession(const QString& path) {
  if (!controller_->hasImage()) return false;
  controller_->waitUntilIdle();
  try {
    writeSessionFile(path.toStdString(), currentState());
  } catch (const std::exception& e) {
    reportError(tr("The session was not saved.\n\n%1").arg(QString::fromStdString(e.what())));
    return false;
  }
  dirty_ = false;
  statusBar()->showMessage(tr("Session saved to %1").arg(path), 5'000);
  return true;
}

bool MainWindow::exportMask(const QString& path) {
  if (!controller_->hasImage()) return false;
  controller_->waitUntilIdle();
  try {
    if (path.endsWith(".png", Qt::CaseInsensitive) && isVolumeGeometry(controller_->image()->geometry()))
      throw std::runtime_error("a volume's mask goes to NIfTI or a PNG folder, not one PNG");
    writeMask(currentState().mask, path.toStdString());
  } catch (const std::exception& e) {
    reportError(tr("The mask was not exported.\n\n%1").arg(QString::fromStdString(e.what())));
    return false;
  }
  dirty_ = false;
  statusBar()->showMessage(tr("Mask exported to %1").arg(path), 5'000);
  return true;
}

bool MainWindow::exportMaskSlices(const QString& folder) {
  if (!controller_->hasImage()) return false;
  controller_->waitUntilIdle();
  try {
    writeMaskSlices(currentState().mask, folder.toStdString());
  } catch (const std::exception& e) {
    reportError(tr("The mask was not exported.\n\n%1").arg(QString::fromStdString(e.what())));
    return false;
  }
  dirty_ = false;
  return true;
}

QString MainWindow::annotatedCasesFolder() const { return QDir(services_.dataFolder).filePath("annotated-cases"); }

bool MainWindow::acceptCase() {
  if (!controller_->hasImage()) return false;
  controller_->waitUntilIdle();
  const SavedSession state = currentState();
  if (state.mask.countNonZero() == 0) {
    reportError(tr("The mask is empty: there is nothing to accept."));
    return false;
  }
  // images/ + masks/ with the same names: the layout fine-tuning reads.
  const bool volume = isVolumeGeometry(controller_->image()->geometry());
  const QString name = QStringLiteral("%1_%2%3")
                           .arg(QFileInfo(imagePath_).baseName(), QDateTime::currentDateTime().toString("yyyyMMdd-hhmmss"),
                                volume ? ".nii.gz" : ".png");
  const QDir root(annotatedCasesFolder());
  try {
    root.mkpath("images");
    root.mkpath("masks");
    writeImage(*controller_->image(), root.filePath("images/" + name).toStdString());
    writeMask(state.mask, root.filePath("masks/" + name).toStdString());
  } catch (const std::exception& e) {
    reportError(tr("The case was not added to the local cases.\n\n%1").arg(QString::fromStdString(e.what())));
    return false;
  }
  autosaveNow();
  statusBar()->showMessage(tr("Accepted: added to the local cases as %1").arg(name), 5'000);
  return true;
}

void MainWindow::autosaveNow() {
  if (!controller_->hasImage() || !autosaveDirty_ || !controller_->snapshot()) return;
  try {
    autosave_.save(currentState());
    autosaveDirty_ = false;
  } catch (const std::exception& e) {
    statusBar()->showMessage(tr("Autosave failed: %1").arg(QString::fromStdString(e.what())), 10'000);
  }
}

bool MainWindow::offerRecovery() {
  if (!autosave_.hasRecovery()) return false;
  SavedSession state;
  try {
    state = autosave_.recover();
  } catch (const std::exception& e) {
    reportError(tr("An autosaved session was found but cannot be read; it is kept in %1.\n\n%2")
                    .arg(QString::fromStdString(autosave_.folder()), QString::fromStdString(e.what())));
    return false;
  }
  const QString image = QString::fromStdString(state.imagePath);
  if (!services_.confirm(tr("MedClick did not close cleanly last time. Recover the autosaved segmentation of %1?").arg(image))) {
    autosave_.discard();
    return false;
  }
  return openImageWithState(image, QString::fromStdString(state.dicomSeriesUid), &state);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  controller_->waitUntilIdle();
  if (dirty_ && controller_->hasImage() && !services_.confirm(tr("The segmentation has changes that were not saved or exported. Close anyway?"))) {
    event->ignore();
    return;
  }
  QSettings settings;
  settings.setValue("view/brushSize", brushSize_->value());
  settings.setValue("view/opacity", opacity_->value());
  autosave_.discard(); // a clean close: nothing to recover next time
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

void MainWindow::rememberRecent(const QString& path) {
  recentFiles_.remember(path);
  updateRecentMenu();
}

void MainWindow::updateRecentMenu() {
  recentMenu_->clear();
  const QStringList recent = recentFiles_.list();
  for (const QString& path : recent) recentMenu_->addAction(path, this, [this, path] { openPath(path); });
  recentMenu_->setEnabled(!recent.isEmpty());
}

} // namespace medclick::ui
