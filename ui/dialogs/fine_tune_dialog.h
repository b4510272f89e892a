#pragma once
// Tools → "Fine-tune on local data…": the clinician picks the cases (a labeled dataset folder, or the
// cases accepted in this app), the model, epochs, device and the weights to start from; Start runs
// the job on a worker thread through a runner its owner injects (app/ runs the trainer; ui/ links
// none of it), shows progress with an ETA and live curves of the loss and the validation IoU, and
// Cancel stops the job cleanly after its current step. When the job ends, weightsReady names the
// best weights so the owner can add them to the model chooser.

#include "dialogs/fine_tune_report.h"

#include <QDialog>
#include <QList>
#include <QString>

#include <atomic>
#include <functional>

class QButtonGroup;
class QChartView;
class QComboBox;
class QLabel;
class QLineEdit;
class QLineSeries;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QThread;
class QValueAxis;
class QWidget;

namespace medclick::ui {

// What Start hands the runner.
struct FineTuneSettings {
  QString dataFolder;      // a labeled folder (images/+masks/, BUSI, MSD): the chosen one or the app's cases
  QString model;           // e.g. "ikan"
  int epochs = 10;
  QString device = "auto"; // auto, cpu or cuda
  QString initWeights;     // start from these; empty: from scratch
  QString outDir;          // the run's own folder: checkpoints, metrics.csv, curves.png, best weights
};

// Runs the job on the worker thread: reports through progress (any thread is fine), checks cancel
// after every step, returns the summary or throws with a message.
using FineTuneRunner =
    std::function<FineTuneOutcome(const FineTuneSettings& settings, const FineTuneProgressCallback& progress, const std::atomic<bool>& cancel)>;

struct FineTuneModel {
  QString model;          // the name the runner and weightsReady use, e.g. "ikan"
  QString label;          // what the chooser shows, e.g. "IKAN (2D)"
  QString currentWeights; // the weights in use now: the default starting point
};

struct FineTuneDialogOptions {
  QList<FineTuneModel> models;
  QString annotatedCasesFolder; // where the app saves accepted cases (images/ + masks/); empty: not offered
  QString runsFolder;           // each run writes into runsFolder/MODEL-yyyyMMdd-HHmmss
  FineTuneRunner runner;
};

class FineTuneDialog : public QDialog {
  Q_OBJECT

public:
  explicit FineTuneDialog(FineTuneDialogOptions options, QWidget* parent = nullptr);
  ~FineTuneDialog() override; // a job still running is cancelled and waited for

  FineTuneSettings settings() const; // what Start runs with now (outDir is chosen at Start)
  bool isRunning() const { return worker_ != nullptr; }
  QString statusText() const;

public slots:
  void start();
  void cancelJob(); // asks the job to stop after its current step; the dialog stays until it has
  void reject() override; // Close or Esc while a job runs: cancel it, close when it has stopped

signals:
  void weightsReady(QString modelName, QString weightsPath);
  void jobEnded(); // the job has stopped, whichever way (finished, cancelled, failed)

private:
  void buildLayout();
  void chooseDataFolder();
  void chooseWeights();
  void modelChosen(int index);
  void setRunning(bool running);
  void showStatus(const QString& text, bool error = false);
  void showProgress(const FineTuneProgress& report);
  void finishJob(const FineTuneOutcome& summary, const QString& error);

  FineTuneDialogOptions options_;
  QButtonGroup* sourceGroup_ = nullptr;
  QLineEdit* dataFolderEdit_ = nullptr;
  QPushButton* browseDataButton_ = nullptr;
  QComboBox* modelCombo_ = nullptr;
  QSpinBox* epochsSpin_ = nullptr;
  QComboBox* deviceCombo_ = nullptr;
  QLineEdit* weightsEdit_ = nullptr;
  QWidget* settingsBox_ = nullptr;
  QProgressBar* progressBar_ = nullptr;
  QLabel* etaLabel_ = nullptr;
  QLabel* statusLabel_ = nullptr;
  QChartView* chartView_ = nullptr;
  QLineSeries* lossSeries_ = nullptr;
  QLineSeries* validationSeries_ = nullptr;
  QValueAxis* epochAxis_ = nullptr;
  QValueAxis* lossAxis_ = nullptr;
  QPushButton* startButton_ = nullptr;
  QPushButton* cancelButton_ = nullptr;
  QPushButton* closeButton_ = nullptr;

  QThread* worker_ = nullptr;
  std::atomic<bool> cancel_{false};
  FineTuneSettings running_;  // the settings of the job in progress
  bool closeWhenStopped_ = false;
};

} // namespace medclick::ui
