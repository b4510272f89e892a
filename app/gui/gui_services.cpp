#include "gui_services.h"

#include "common/engine_choice.h"
#include "common/fine_tune_job.h"
#include "common/model_weights.h"
#include "dialogs/fine_tune_dialog.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace medclick::gui {

namespace {

// The dialog's settings as the job the CLI's `train` also runs.
TrainingSummary runFineTune(const ui::FineTuneSettings& settings, const ProgressCallback& progress, const std::atomic<bool>& cancel) {
  app::FineTuneJobOptions job;
  job.model = settings.model.toStdString();
  job.dataFolders = {settings.dataFolder.toStdString()};
  job.training.outDir = settings.outDir.toStdString();
  job.training.epochs = settings.epochs;
  job.training.device = settings.device.toStdString();
  job.training.initWeights = settings.initWeights.toStdString();
  return app::runFineTuneJob(job, progress, cancel);
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
    return std::shared_ptr<InteractiveEngine>(
        app::createEngineByName(entry.model.toStdString(), entry.weightsPath.toStdString(), device.toStdString()));
  };
  services.createVolumeEngine = [](const medclick::ui::ModelEntry& entry, const QString& device) {
    return std::shared_ptr<VolumeInteractiveEngine>(
        app::createVolumeEngineByName(entry.model.toStdString(), entry.weightsPath.toStdString(), device.toStdString()));
  };
  services.models = {{QObject::tr("IKAN (bundled weights)"), "ikan", QString()},
                     {QObject::tr("Classical (watershed, no model)"), "classic", QString()},
                     // No CAISeg weights ship yet: choosing it asks for a file through "Weights…".
                     {QObject::tr("CAISeg (3D volumes)"), "caiseg", QString(), true}};
  services.dataFolder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
  const QString dataFolder = services.dataFolder;
  services.openFineTune = [dataFolder](QWidget* parent, const QString& annotatedCasesFolder) {
    openFineTuneDialog(parent, annotatedCasesFolder, dataFolder);
  };
  return services;
}

} // namespace medclick::gui
