// The fine-tune dialog with a fake runner on its worker thread: progress and live curves follow the
// reports, new weights are announced, Cancel stops the job, a runner's exception becomes a message,
// and the app's annotated cases are offered as a data source. QT_QPA_PLATFORM=offscreen.

#include "dialogs/fine_tune_dialog.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

using namespace medclick;
using namespace medclick::ui;

namespace {

constexpr int kStepsPerEpoch = 3;

// A stand-in for the training job: kStepsPerEpoch steps and one validation report per epoch; it can
// hold after a given number of step reports until released (or cancelled), and it can throw.
struct FakeJob {
  int holdAfterSteps = -1;
  std::atomic<bool> released{false};
  std::atomic<bool> sawCancel{false};
  std::atomic<int> calls{0};
  bool fail = false;
  FineTuneSettings received; // written on the worker, read after the dialog has joined it
};

FineTuneRunner fakeRunner(const std::shared_ptr<FakeJob>& job) {
  return [job](const FineTuneSettings& settings, const FineTuneProgressCallback& progress, const std::atomic<bool>& cancel) {
    ++job->calls;
    job->received = settings;
    if (job->fail) throw std::runtime_error("disk full while writing the tensor cache");
    FineTuneOutcome summary;
    int steps = 0;
    for (int epoch = 1; epoch <= settings.epochs; ++epoch) {
      for (int step = 1; step <= kStepsPerEpoch; ++step) {
        FineTuneProgress report;
        report.epoch = epoch;
        report.epochs = settings.epochs;
        report.step = step;
        report.stepsPerEpoch = kStepsPerEpoch;
        report.loss = 1.0 / (epoch * kStepsPerEpoch + step);
        report.samplesPerSecond = 4.0;
        report.etaSeconds = 100.0 - steps;
        progress(report);
        if (++steps == job->holdAfterSteps)
          while (!job->released.load() && !cancel.load()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        if (cancel.load()) {
          job->sawCancel = true;
          summary.cancelled = true;
          summary.epochsRun = epoch - 1;
          return summary;
        }
      }
      FineTuneProgress validation;
      validation.epoch = epoch;
      validation.epochs = settings.epochs;
      validation.step = kStepsPerEpoch;
      validation.stepsPerEpoch = kStepsPerEpoch;
      validation.validated = true;
      validation.validationIoU = 0.5 + 0.1 * epoch;
      progress(validation);
      summary.epochsRun = epoch;
    }
    QDir().mkpath(settings.outDir);
    summary.bestWeightsPath = QDir(settings.outDir).filePath("best.safetensors").toStdString();
    QFile weights(QString::fromStdString(summary.bestWeightsPath));
    if (!weights.open(QIODevice::WriteOnly)) throw std::runtime_error("cannot write the fake weights");
    weights.write("weights");
    summary.bestEpoch = settings.epochs;
    summary.bestValidationIoU = 0.5 + 0.1 * settings.epochs;
    return summary;
  };
}

QLineSeries* seriesNamed(FineTuneDialog& dialog, const QString& name) {
  for (auto* series : dialog.findChild<QChartView*>("chartView")->chart()->series())
    if (series->objectName() == name) return qobject_cast<QLineSeries*>(series);
  return nullptr;
}

} // namespace

class FineTuneDialogTest : public QObject {
  Q_OBJECT
  QTemporaryDir scratch_;

  FineTuneDialogOptions optionsFor(const std::shared_ptr<FakeJob>& job, const QString& annotatedFolder = {}) {
    FineTuneDialogOptions options;
    options.models = {{"ikan", "IKAN (2D)", currentWeights()}};
    options.annotatedCasesFolder = annotatedFolder;
    options.runsFolder = scratch_.filePath("runs");
    options.runner = fakeRunner(job);
    return options;
  }

  QString currentWeights() {
    const QString path = scratch_.filePath("ikan.safetensors");
    QFile file(path);
    if (!file.exists() && file.open(QIODevice::WriteOnly)) file.write("bundled");
    return path;
  }

  QString datasetFolder() {
    QDir(scratch_.path()).mkpath("dataset/images");
    QDir(scratch_.path()).mkpath("dataset/masks");
    return scratch_.filePath("dataset");
  }

  static void click(FineTuneDialog& dialog, const char* button) { dialog.findChild<QPushButton*>(button)->click(); }

private slots:
  void progress_and_curves_follow_the_reports_and_the_new_weights_are_announced() {
    auto job = std::make_shared<FakeJob>();
    job->holdAfterSteps = 4; // epoch 1 done and validated, one step into epoch 2
    FineTuneDialog dialog(optionsFor(job));
    QSignalSpy weightsReady(&dialog, &FineTuneDialog::weightsReady);
    dialog.findChild<QLineEdit*>("dataFolderEdit")->setText(datasetFolder());
    dialog.findChild<QSpinBox*>("epochsSpin")->setValue(2);
    auto* device = dialog.findChild<QComboBox*>("deviceCombo");
    device->setCurrentIndex(device->findData("cpu"));
    click(dialog, "startButton");
    QVERIFY(dialog.isRunning());
    QVERIFY(!dialog.findChild<QPushButton*>("startButton")->isEnabled());

    auto* bar = dialog.findChild<QProgressBar*>("progressBar");
    QTRY_COMPARE(bar->value(), 4);
    QCOMPARE(bar->maximum(), 2 * kStepsPerEpoch);
    QCOMPARE(seriesNamed(dialog, "lossSeries")->count(), 4);
    QCOMPARE(seriesNamed(dialog, "validationSeries")->count(), 1);
    QCOMPARE(seriesNamed(dialog, "validationSeries")->at(0), QPointF(1.0, 0.6));
    QVERIFY(dialog.findChild<QLabel*>("etaLabel")->text().contains("2 of 2"));
    QCOMPARE(weightsReady.count(), 0);

    job->released = true;
    QTRY_VERIFY(!dialog.isRunning());
    QCOMPARE(bar->value(), 2 * kStepsPerEpoch);
    QCOMPARE(seriesNamed(dialog, "lossSeries")->count(), 2 * kStepsPerEpoch);
    QCOMPARE(seriesNamed(dialog, "validationSeries")->count(), 2);
    QCOMPARE(weightsReady.count(), 1);
    QCOMPARE(weightsReady.at(0).at(0).toString(), QString("ikan"));
    const QString weights = weightsReady.at(0).at(1).toString();
    QVERIFY(QFileInfo(weights).isFile());
    QVERIFY2(weights.startsWith(scratch_.filePath("runs/ikan-")), qPrintable(weights));
    QVERIFY2(dialog.statusText().contains("Finished"), qPrintable(dialog.statusText()));

    QCOMPARE(job->received.dataFolder, datasetFolder());
    QCOMPARE(job->received.epochs, 2);
    QCOMPARE(job->received.device, QString("cpu"));
    QCOMPARE(job->received.model, QString("ikan"));
    QCOMPARE(job->received.initWeights, currentWeights()); // the weights in use, unless another is chosen
    QVERIFY(dialog.findChild<QPushButton*>("startButton")->isEnabled());
  }

  void cancel_stops_the_runner_and_the_dialog_says_cancelled() {
    auto job = std::make_shared<FakeJob>();
    job->holdAfterSteps = 2;
    FineTuneDialog dialog(optionsFor(job));
    QSignalSpy weightsReady(&dialog, &FineTuneDialog::weightsReady);
    dialog.findChild<QLineEdit*>("dataFolderEdit")->setText(datasetFolder());
    click(dialog, "startButton");
    QTRY_COMPARE(dialog.findChild<QProgressBar*>("progressBar")->value(), 2);
    click(dialog, "cancelButton");
    QTRY_VERIFY(!dialog.isRunning());
    QVERIFY(job->sawCancel);
    QVERIFY2(dialog.statusText().contains("cancelled", Qt::CaseInsensitive), qPrintable(dialog.statusText()));
    QCOMPARE(weightsReady.count(), 0);
    QVERIFY(dialog.findChild<QPushButton*>("startButton")->isEnabled());
  }

  void closing_while_running_cancels_and_closes_once_stopped() {
    auto job = std::make_shared<FakeJob>();
    job->holdAfterSteps = 1;
    FineTuneDialog dialog(optionsFor(job));
    dialog.findChild<QLineEdit*>("dataFolderEdit")->setText(datasetFolder());
    dialog.show();
    click(dialog, "startButton");
    QTRY_COMPARE(dialog.findChild<QProgressBar*>("progressBar")->value(), 1);
    dialog.reject();
    QTRY_VERIFY(!dialog.isRunning());
    QVERIFY(job->sawCancel);
    QTRY_VERIFY(!dialog.isVisible());
  }

  void an_exception_from_the_runner_is_shown_in_the_dialog() {
    auto job = std::make_shared<FakeJob>();
    job->fail = true;
    FineTuneDialog dialog(optionsFor(job));
    QSignalSpy weightsReady(&dialog, &FineTuneDialog::weightsReady);
    dialog.findChild<QLineEdit*>("dataFolderEdit")->setText(datasetFolder());
    click(dialog, "startButton");
    QTRY_VERIFY(!dialog.isRunning());
    QVERIFY2(dialog.statusText().contains("disk full while writing the tensor cache"), qPrintable(dialog.statusText()));
    QCOMPARE(weightsReady.count(), 0);
    QVERIFY(dialog.findChild<QPushButton*>("startButton")->isEnabled());
  }

  void the_apps_annotated_cases_are_offered_and_a_missing_source_is_refused() {
    const QString annotated = scratch_.filePath("annotated");
    QDir().mkpath(annotated + "/images");
    QDir().mkpath(annotated + "/masks");
    auto job = std::make_shared<FakeJob>();
    {
      FineTuneDialog dialog(optionsFor(job, annotated));
      click(dialog, "startButton"); // no case saved yet, and no folder chosen
      QVERIFY2(dialog.statusText().contains("Choose a labeled dataset folder"), qPrintable(dialog.statusText()));
      dialog.findChild<QRadioButton*>("annotatedRadio")->click();
      click(dialog, "startButton");
      QVERIFY2(dialog.statusText().contains("No case has been accepted"), qPrintable(dialog.statusText()));
      QVERIFY(!dialog.isRunning());
      QCOMPARE(job->calls.load(), 0);
    }
    QFile image(annotated + "/images/case1.png");
    QVERIFY(image.open(QIODevice::WriteOnly));
    image.close();
    FineTuneDialog dialog(optionsFor(job, annotated));
    QVERIFY(dialog.findChild<QRadioButton*>("annotatedRadio")->isChecked()); // cases saved: offered first
    dialog.findChild<QSpinBox*>("epochsSpin")->setValue(1);
    click(dialog, "startButton");
    QTRY_VERIFY(!dialog.isRunning());
    QCOMPARE(job->calls.load(), 1);
    QCOMPARE(job->received.dataFolder, annotated);
  }
};

QTEST_MAIN(FineTuneDialogTest)
#include "fine_tune_dialog_test.moc"
