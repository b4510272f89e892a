#include "dialogs/fine_tune_dialog.h"

#include <QButtonGroup>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QThread>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <exception>

namespace medclick::ui {

namespace {

QString durationText(double seconds) {
  const qint64 s = qMax<qint64>(0, qRound64(seconds));
  if (s >= 3600) return FineTuneDialog::tr("%1 h %2 min").arg(s / 3600).arg((s / 60) % 60, 2, 10, QChar('0'));
  if (s >= 60) return FineTuneDialog::tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
  return FineTuneDialog::tr("%1 s").arg(s);
}

// Whole epochs on the axis, about ten labels at most (an automatic tick count would label 2.5 as "3").
void showEpochs(QValueAxis* axis, int epochs) {
  int step = 1;
  for (const int candidate : {1, 2, 5, 10, 20, 50, 100, 200, 500})
    if (epochs / candidate <= 10) {
      step = candidate;
      break;
    }
  axis->setRange(0, std::max(1, epochs));
  axis->setTickType(QValueAxis::TicksDynamic);
  axis->setTickAnchor(0);
  axis->setTickInterval(step);
}

int annotatedCaseCount(const QString& folder) {
  if (folder.isEmpty()) return 0;
  return static_cast<int>(QDir(QDir(folder).filePath("images")).entryList(QDir::Files).size());
}

} // namespace

FineTuneDialog::FineTuneDialog(FineTuneDialogOptions options, QWidget* parent) : QDialog(parent), options_(std::move(options)) {
  setWindowTitle(tr("Fine-tune on Local Data"));
  buildLayout();
  setRunning(false);
}

FineTuneDialog::~FineTuneDialog() {
  if (!worker_) return;
  // The runner reports to this dialog: it must have returned before the dialog goes.
  cancel_.store(true);
  worker_->wait();
  delete worker_;
}

void FineTuneDialog::buildLayout() {
  auto* folderRadio = new QRadioButton(tr("A dataset folder:"));
  folderRadio->setObjectName("folderRadio");
  dataFolderEdit_ = new QLineEdit;
  dataFolderEdit_->setObjectName("dataFolderEdit");
  dataFolderEdit_->setPlaceholderText(tr("images/ + masks/, BUSI or MSD layout"));
  browseDataButton_ = new QPushButton(tr("Browse…"));
  connect(browseDataButton_, &QPushButton::clicked, this, &FineTuneDialog::chooseDataFolder);
  auto* folderRow = new QHBoxLayout;
  folderRow->addWidget(folderRadio);
  folderRow->addWidget(dataFolderEdit_, 1);
  folderRow->addWidget(browseDataButton_);

  const int annotated = annotatedCaseCount(options_.annotatedCasesFolder);
  auto* annotatedRadio = new QRadioButton(
      options_.annotatedCasesFolder.isEmpty() ? tr("Cases annotated in this app (none saved here)")
                                              : tr("Cases annotated in this app (%n case(s) in %1)", nullptr, annotated)
                                                    .arg(QDir::toNativeSeparators(options_.annotatedCasesFolder)));
  annotatedRadio->setObjectName("annotatedRadio");
  annotatedRadio->setEnabled(!options_.annotatedCasesFolder.isEmpty());
  sourceGroup_ = new QButtonGroup(this);
  sourceGroup_->addButton(folderRadio, 0);
  sourceGroup_->addButton(annotatedRadio, 1);
  (annotated > 0 ? annotatedRadio : folderRadio)->setChecked(true);
  const auto sourceChanged = [this] {
    const bool folder = sourceGroup_->checkedId() == 0;
    dataFolderEdit_->setEnabled(folder);
    browseDataButton_->setEnabled(folder);
  };
  connect(sourceGroup_, &QButtonGroup::idClicked, this, sourceChanged);
  sourceChanged();

  modelCombo_ = new QComboBox;
  modelCombo_->setObjectName("modelCombo");
  for (const auto& model : options_.models) modelCombo_->addItem(model.label.isEmpty() ? model.model : model.label, model.model);
  epochsSpin_ = new QSpinBox;
  epochsSpin_->setObjectName("epochsSpin");
  epochsSpin_->setRange(1, 1000);
  epochsSpin_->setValue(10);
  deviceCombo_ = new QComboBox;
  deviceCombo_->setObjectName("deviceCombo");
  deviceCombo_->addItem(tr("Automatic (CUDA when present)"), "auto");
  deviceCombo_->addItem(tr("CPU"), "cpu");
  deviceCombo_->addItem(tr("CUDA GPU"), "cuda");
  weightsEdit_ = new QLineEdit;
  weightsEdit_->setObjectName("weightsEdit");
  weightsEdit_->setPlaceholderText(tr("none: train from scratch"));
  auto* browseWeights = new QPushButton(tr("Browse…"));
  connect(browseWeights, &QPushButton::clicked, this, &FineTuneDialog::chooseWeights);
  auto* weightsRow = new QHBoxLayout;
  weightsRow->addWidget(weightsEdit_, 1);
  weightsRow->addWidget(browseWeights);
  connect(modelCombo_, &QComboBox::currentIndexChanged, this, &FineTuneDialog::modelChosen);
  modelChosen(modelCombo_->currentIndex());

  auto* box = new QGroupBox(tr("Cases and model"));
  auto* form = new QFormLayout(box);
  auto* sources = new QVBoxLayout;
  sources->addLayout(folderRow);
  sources->addWidget(annotatedRadio);
  form->addRow(tr("Cases:"), sources);
  form->addRow(tr("Model:"), modelCombo_);
  form->addRow(tr("Epochs:"), epochsSpin_);
  form->addRow(tr("Device:"), deviceCombo_);
  form->addRow(tr("Start from weights:"), weightsRow);
  settingsBox_ = box;

  progressBar_ = new QProgressBar;
  progressBar_->setObjectName("progressBar");
  progressBar_->setRange(0, 1);
  progressBar_->setValue(0);
  etaLabel_ = new QLabel;
  etaLabel_->setObjectName("etaLabel");

  auto* chart = new QChart;
  chart->setTitle(tr("Training curves"));
  lossSeries_ = new QLineSeries;
  lossSeries_->setObjectName("lossSeries");
  lossSeries_->setName(tr("Training loss (epoch's running mean)"));
  lossSeries_->setColor(QColor(20, 80, 200)); // the colours of curves.png
  validationSeries_ = new QLineSeries;
  validationSeries_->setObjectName("validationSeries");
  validationSeries_->setName(tr("Validation IoU"));
  validationSeries_->setColor(QColor(40, 150, 40));
  validationSeries_->setPointsVisible(true);
  chart->addSeries(lossSeries_);
  chart->addSeries(validationSeries_);
  epochAxis_ = new QValueAxis;
  epochAxis_->setTitleText(tr("Epoch"));
  epochAxis_->setLabelFormat("%.0f");
  showEpochs(epochAxis_, 1);
  lossAxis_ = new QValueAxis;
  lossAxis_->setTitleText(tr("Loss"));
  lossAxis_->setRange(0, 1);
  auto* iouAxis = new QValueAxis;
  iouAxis->setTitleText(tr("Validation IoU"));
  iouAxis->setRange(0, 1);
  chart->addAxis(epochAxis_, Qt::AlignBottom);
  chart->addAxis(lossAxis_, Qt::AlignLeft);
  chart->addAxis(iouAxis, Qt::AlignRight);
  lossSeries_->attachAxis(epochAxis_);
  lossSeries_->attachAxis(lossAxis_);
  validationSeries_->attachAxis(epochAxis_);
  validationSeries_->attachAxis(iouAxis);
  chartView_ = new QChartView(chart);
  chartView_->setObjectName("chartView");
  chartView_->setRenderHint(QPainter::Antialiasing);
  chartView_->setMinimumSize(480, 280);

  statusLabel_ = new QLabel;
  statusLabel_->setObjectName("statusLabel");
  statusLabel_->setWordWrap(true);
  statusLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  startButton_ = new QPushButton(tr("Start"));
  startButton_->setObjectName("startButton");
  startButton_->setDefault(true);
  cancelButton_ = new QPushButton(tr("Cancel Training"));
  cancelButton_->setObjectName("cancelButton");
  closeButton_ = new QPushButton(tr("Close"));
  closeButton_->setObjectName("closeButton");
  auto* buttons = new QDialogButtonBox;
  buttons->addButton(startButton_, QDialogButtonBox::ActionRole);
  buttons->addButton(cancelButton_, QDialogButtonBox::ActionRole);
  buttons->addButton(closeButton_, QDialogButtonBox::RejectRole);
  connect(startButton_, &QPushButton::clicked, this, &FineTuneDialog::start);
  connect(cancelButton_, &QPushButton::clicked, this, &FineTuneDialog::cancelJob);
  connect(buttons, &QDialogButtonBox::rejected, this, &FineTuneDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(settingsBox_);
  layout->addWidget(progressBar_);
  layout->addWidget(etaLabel_);
  layout->addWidget(chartView_, 1);
  layout->addWidget(statusLabel_);
  layout->addWidget(buttons);
}

void FineTuneDialog::chooseDataFolder() {
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Labeled Dataset Folder"), dataFolderEdit_->text());
  if (!folder.isEmpty()) dataFolderEdit_->setText(folder);
}

void FineTuneDialog::chooseWeights() {
  const QString file = QFileDialog::getOpenFileName(this, tr("Start from Weights"), weightsEdit_->text(),
                                                    tr("Weights (*.safetensors);;All files (*)"));
  if (!file.isEmpty()) weightsEdit_->setText(file);
}

void FineTuneDialog::modelChosen(int index) {
  if (index >= 0 && index < options_.models.size()) weightsEdit_->setText(options_.models[index].currentWeights);
}

FineTuneSettings FineTuneDialog::settings() const {
  FineTuneSettings s;
  s.dataFolder = sourceGroup_->checkedId() == 1 ? options_.annotatedCasesFolder : dataFolderEdit_->text().trimmed();
  s.model = modelCombo_->currentData().toString();
  s.epochs = epochsSpin_->value();
  s.device = deviceCombo_->currentData().toString();
  s.initWeights = weightsEdit_->text().trimmed();
  return s;
}

QString FineTuneDialog::statusText() const { return statusLabel_->text(); }

void FineTuneDialog::showStatus(const QString& text, bool error) {
  statusLabel_->setStyleSheet(error ? "color: #b00020;" : "");
  statusLabel_->setText(text);
}

void FineTuneDialog::setRunning(bool running) {
  settingsBox_->setEnabled(!running);
  startButton_->setEnabled(!running);
  cancelButton_->setEnabled(running);
}

void FineTuneDialog::start() {
  if (worker_) return;
  FineTuneSettings s = settings();
  if (!options_.runner) return showStatus(tr("Fine-tuning is not available in this build."), true);
  if (s.model.isEmpty()) return showStatus(tr("No model can be fine-tuned."), true);
  if (sourceGroup_->checkedId() == 1) {
    if (annotatedCaseCount(s.dataFolder) == 0)
      return showStatus(tr("No case has been accepted in this app yet (%1): accept a segmentation first.")
                            .arg(QDir::toNativeSeparators(s.dataFolder)),
                        true);
  } else if (s.dataFolder.isEmpty() || !QFileInfo(s.dataFolder).isDir()) {
    return showStatus(tr("Choose a labeled dataset folder (images/ + masks/, BUSI or MSD layout)."), true);
  }
  if (!s.initWeights.isEmpty() && !QFileInfo(s.initWeights).isFile())
    return showStatus(tr("The weights file %1 does not exist.").arg(QDir::toNativeSeparators(s.initWeights)), true);

  const QString runs = options_.runsFolder.isEmpty()
                           ? QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).filePath("fine-tune")
                           : options_.runsFolder;
  const QString stem = s.model + "-" + QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
  s.outDir = QDir(runs).filePath(stem);
  for (int n = 2; QFileInfo::exists(s.outDir); ++n) s.outDir = QDir(runs).filePath(stem + "-" + QString::number(n));

  lossSeries_->clear();
  validationSeries_->clear();
  lossAxis_->setRange(0, 1);
  showEpochs(epochAxis_, s.epochs);
  progressBar_->setRange(0, 0); // busy until the first step reports: the cases are being decoded
  etaLabel_->clear();
  running_ = s;
  cancel_.store(false);
  setRunning(true);
  showStatus(tr("Preparing the cases…"));

  const FineTuneRunner runner = options_.runner;
  worker_ = QThread::create([this, runner, s] {
    FineTuneOutcome summary;
    QString error;
    try {
      // Reports arrive on this worker thread; the widgets are updated on the GUI thread.
      summary = runner(
          s, [this](const FineTuneProgress& report) { QMetaObject::invokeMethod(this, [this, report] { showProgress(report); }, Qt::QueuedConnection); },
          cancel_);
    } catch (const std::exception& e) {
      error = QString::fromLocal8Bit(e.what());
      if (error.isEmpty()) error = tr("an error without a message");
    } catch (...) {
      error = tr("an unknown error");
    }
    QMetaObject::invokeMethod(this, [this, summary, error] { finishJob(summary, error); }, Qt::QueuedConnection);
  });
  worker_->start();
}

void FineTuneDialog::cancelJob() {
  if (!worker_) return;
  cancel_.store(true);
  cancelButton_->setEnabled(false);
  showStatus(tr("Cancelling: the job stops after its current step…"));
}

void FineTuneDialog::reject() {
  if (worker_) {
    closeWhenStopped_ = true;
    cancelJob();
    return;
  }
  QDialog::reject();
}

void FineTuneDialog::showProgress(const FineTuneProgress& report) {
  if (!report.note.empty()) { // set-up lines (the dialog offers no --transfer): for the log, not the chart
    qInfo("fine-tune: %s", report.note.c_str());
    return;
  }
  if (!worker_ || report.epochs <= 0 || report.stepsPerEpoch <= 0) return;
  const long long total = static_cast<long long>(report.epochs) * report.stepsPerEpoch;
  const long long done = static_cast<long long>(report.epoch - 1) * report.stepsPerEpoch + report.step;
  progressBar_->setRange(0, static_cast<int>(std::min<long long>(total, INT_MAX)));
  progressBar_->setValue(static_cast<int>(std::min<long long>(done, INT_MAX)));
  if (epochAxis_->max() != report.epochs) showEpochs(epochAxis_, report.epochs);
  if (report.validated) {
    validationSeries_->append(report.epoch, report.validationIoU);
    if (!cancel_.load())
      showStatus(tr("Epoch %1 of %2: training loss %3, validation IoU %4.")
                     .arg(report.epoch)
                     .arg(report.epochs)
                     .arg(report.loss, 0, 'f', 4)
                     .arg(report.validationIoU, 0, 'f', 4));
    return;
  }
  const bool firstLoss = lossSeries_->count() == 0;
  lossSeries_->append(report.epoch - 1 + static_cast<double>(report.step) / static_cast<double>(report.stepsPerEpoch), report.loss);
  if (firstLoss || report.loss > lossAxis_->max()) { // the scale of the highest loss so far, in round numbers
    lossAxis_->setRange(0, std::max(report.loss * 1.1, 1e-3));
    lossAxis_->applyNiceNumbers();
  }
  etaLabel_->setText(tr("Epoch %1 of %2, step %3 of %4 · %5 samples/s · about %6 left")
                         .arg(report.epoch)
                         .arg(report.epochs)
                         .arg(report.step)
                         .arg(report.stepsPerEpoch)
                         .arg(report.samplesPerSecond, 0, 'f', 2)
                         .arg(durationText(report.etaSeconds)));
}

void FineTuneDialog::finishJob(const FineTuneOutcome& summary, const QString& error) {
  if (worker_) {
    worker_->wait(); // the thread is past its last report: this returns at once
    delete worker_;
    worker_ = nullptr;
  }
  setRunning(false);
  if (progressBar_->maximum() == 0) progressBar_->setRange(0, 1); // never reported: leave the busy state
  const QString outDir = QDir::toNativeSeparators(running_.outDir);
  const QString weights = QString::fromStdString(summary.bestWeightsPath);
  if (!error.isEmpty()) {
    showStatus(tr("Training failed: %1").arg(error), true);
  } else if (summary.cancelled) {
    showStatus(summary.epochsRun > 0 ? tr("Training cancelled after %n finished epoch(s); the checkpoints are in %1.", nullptr,
                                          summary.epochsRun)
                                           .arg(outDir)
                                     : tr("Training cancelled before an epoch finished."));
  } else if (weights.isEmpty() || !QFileInfo(weights).isFile()) {
    showStatus(tr("Training ended without weights: no epoch finished (see %1).").arg(outDir), true);
  } else {
    progressBar_->setValue(progressBar_->maximum());
    etaLabel_->clear();
    showStatus(tr("Finished: best validation IoU %1 at epoch %2. The new weights are in %3.")
                   .arg(summary.bestValidationIoU, 0, 'f', 4)
                   .arg(summary.bestEpoch)
                   .arg(QDir::toNativeSeparators(weights)));
    emit weightsReady(running_.model, weights);
  }
  emit jobEnded();
  if (closeWhenStopped_) {
    closeWhenStopped_ = false;
    QDialog::reject();
  }
}

} // namespace medclick::ui
