#include "gui_services.h"

#include "common/engine_choice.h"
#include "common/fine_tune_job.h"
#include "common/model_weights.h"
#include "engine/engine_registry.h"
#include "dialogs/fine_tune_dialog.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace medclick::gui {

namespace {

// The dialog's settings as the job the CLI's `train` also runs; its reports in the dialog's terms.
ui::FineTuneOutcome runFineTune(const ui::FineTuneSettings& settings, const ui::FineTuneProgressCallback& progress,
                                const std::atomic<bool>& cancel) {
  app::FineTuneJobOptions job;
  job.model = settings.model.toStdString();
  job.dataFolders = {settings.dataFolder.toStdString()};
  job.training.outDir = settings.outDir.toStdString();
  job.training.epochs = settings.epochs;
  job.training.device = settings.device.toStdString();
  job.training.initWeights = settings.initWeights.toStdString();
  const TrainingSummary summary = app::runFineTuneJob(
      job,
      [&progress](const TrainingProgress& r) {
        if (r.mainProcess)
          progress({r.epoch, r.epochs, r.step, r.stepsPerEpoch, r.loss, r.samplesPerSecond, r.etaSeconds, r.validated, r.validationIoU, r.note});
      },
      cancel);
  return {summary.epochsRun, summary.bestEpoch, summary.bestValidationIoU, summary.bestWeightsPath, summary.cancelled};
}

QString automaticModelLabel(const std::string& model) { return model == "kmunet" ? QStringLiteral("KM-UNet") : QStringLiteral("KANU-Net"); }

// The chooser's entry for a weights file that names its model; what it can do comes from the
// file's metadata through the engine registry (KM-UNet, KANU-Net: automatic; CAISeg: 3D).
std::optional<ui::ModelEntry> describeWeights(const QString& path) {
  const std::string model = app::modelNamedInWeights(path.toStdString());
  if (model.empty()) return std::nullopt;
  const WeightsDescription described = medclick::describeWeights(path.toStdString());
  ui::ModelEntry entry{QString(), QString::fromStdString(model), path, described.capabilities.dimension == 3,
                       !described.capabilities.takesClicks};
  const QString stem = QFileInfo(path).completeBaseName();
  entry.label = entry.automatic ? QObject::tr("%1 (automatic, %2)").arg(automaticModelLabel(model), stem)
                                : QStringLiteral("%1 (%2)").arg(entry.model, stem);
  return entry;
}

void openFineTuneDialog(QWidget* parent, const QString& annotatedCasesFolder, const QString& dataFolder) {
  auto* window = qobject_cast<ui::MainWindow*>(parent);
  ui::FineTuneDialogOptions options;
  QString bundled;
  try {
    bundled = QString::fromStdString(app::findBundledWeights("ikan"));
  } catch (const std::exception&) {
    // No bundled weights installed: the dialog starts from scratch unless the user picks a file.
  }
  options.models = {{"ikan", QObject::tr("IKAN (2D)"), bundled}};
  options.annotatedCasesFolder = QDir(annotatedCasesFolder).exists("images") ? annotatedCasesFolder : QString();
  options.runsFolder = QDir(dataFolder).filePath("fine-tune-runs");
  options.runner = runFineTune;
  auto* dialog = new ui::FineTuneDialog(options, parent);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  if (window)
    QObject::connect(dialog, &ui::FineTuneDialog::weightsReady, window, [window](const QString& model, const QString& path) {
      const QString run = QFileInfo(QFileInfo(path).absolutePath()).fileName();
      window->addModel({QObject::tr("%1 fine-tuned (%2)").arg(model.toUpper(), run), model, path});
    });
  dialog->show();
}

} // namespace

medclick::ui::MainWindowServices makeServices() {
  medclick::ui::MainWindowServices services;
  services.createEngine = [](const medclick::ui::ModelEntry& entry, const QString& device) {
    app::EngineChoices choices;
    choices.dimension = entry.volume ? 3 : 2; // only "classic" has one of each
    if (entry.smallObjects) choices.zoomIn = app::smallObjectZoomIn();
    return std::shared_ptr<SegmentationEngine>(
        app::createEngineByName(entry.model.toStdString(), entry.weightsPath.toStdString(), device.toStdString(), choices));
  };
  services.describeWeights = describeWeights;
  services.models = {{QObject::tr("IKAN (bundled weights)"), "ikan", QString()},
                     {QObject::tr("IKAN, small structures (OCT fluid)"), "ikan", QString(), false, false, true},
                     {QObject::tr("Classical (watershed, no model)"), "classic", QString()},
                     // The bundled caiseg.safetensors; another file through "Weights…".
                     {QObject::tr("CAISeg (3D volumes)"), "caiseg", QString(), true}};
  // The automatic 2D models are offered when their weights are installed (both ship); a weights
  // file opened through "Weights…" whose metadata names kmunet or kanunet adds one too.
  for (const std::string model : {"kmunet", "kanunet"}) {
    try {
      services.models.append({QObject::tr("%1 (automatic)").arg(automaticModelLabel(model)), QString::fromStdString(model),
                              QString::fromStdString(app::findBundledWeights(model)), false, true});
    } catch (const std::runtime_error&) {
      // Not installed: not offered.
    }
  }
  services.dataFolder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
  const QString dataFolder = services.dataFolder;
  services.openFineTune = [dataFolder](QWidget* parent, const QString& annotatedCasesFolder) {
    openFineTuneDialog(parent, annotatedCasesFolder, dataFolder);
  };
  return services;
}

} // namespace medclick::gui
