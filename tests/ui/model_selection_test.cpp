// The engine choice's plan: a click model loads alone; an automatic model brings the last 2D click
// model along when none is ready, the device changed or a 3D model took the clicks, and not otherwise.

#include "model/model_selection.h"

#include <QSettings>
#include <QStandardPaths>
#include <QtTest>

using namespace medclick::ui;

namespace {

QStringList labels(const QList<ModelEntry>& entries) {
  QStringList out;
  for (const ModelEntry& e : entries) out << e.label;
  return out;
}

} // namespace

class ModelSelectionTest : public QObject {
  Q_OBJECT

  const QList<ModelEntry> builtIn_{{"IKAN", "ikan", {}},
                                   {"Classical", "classic", {}},
                                   {"CAISeg", "caiseg", {}, true, false},
                                   {"KM-UNet", "kmunet", {}, false, true}};

private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear(); // no remembered entries
  }

  void an_automatic_model_brings_a_click_model_only_when_it_must() {
    const ModelRegistry models(builtIn_);
    ModelSelection selection;
    QCOMPARE(labels(selection.choose(models, 3, "cpu", false)), (QStringList{"IKAN", "KM-UNet"})); // none chosen yet: the first
    QCOMPARE(labels(selection.choose(models, 3, "cpu", true)), QStringList{"KM-UNet"});
    QCOMPARE(labels(selection.choose(models, 3, "cuda", true)), (QStringList{"IKAN", "KM-UNet"})); // a new device
    QCOMPARE(labels(selection.choose(models, 1, "cuda", true)), QStringList{"Classical"});
    QCOMPARE(labels(selection.choose(models, 3, "cuda", true)), QStringList{"KM-UNet"});
    QCOMPARE(labels(selection.choose(models, 3, "cpu", true)), (QStringList{"Classical", "KM-UNet"})); // the last 2D one
    QCOMPARE(labels(selection.choose(models, 2, "cpu", true)), QStringList{"CAISeg"});
    QCOMPARE(labels(selection.choose(models, 3, "cpu", true)), (QStringList{"Classical", "KM-UNet"})); // clicks back to 2D
    QCOMPARE(labels(selection.choose(models, 3, "cpu", false)), (QStringList{"Classical", "KM-UNet"})); // its load failed
  }

  void a_remembered_entry_keeps_its_small_structures_choice() {
    {
      ModelRegistry models(builtIn_);
      models.add({"IKAN pockets (run 2)", "ikan", QCoreApplication::applicationFilePath(), false, false, true});
      models.add({"IKAN (run 2)", "ikan", QCoreApplication::applicationFilePath()});
    }
    const ModelRegistry reopened(builtIn_); // read back from QSettings
    const auto& entries = reopened.entries();
    QCOMPARE(entries.size(), builtIn_.size() + 2);
    QVERIFY(entries[entries.size() - 2].smallObjects);
    QVERIFY(!entries.last().smallObjects);
    QSettings().clear();
  }

  void without_a_click_model_the_automatic_one_loads_alone() {
    const ModelRegistry models({{"KM-UNet", "kmunet", {}, false, true}});
    ModelSelection selection;
    QCOMPARE(labels(selection.choose(models, 0, "cpu", false)), QStringList{"KM-UNet"});
  }
};

QTEST_GUILESS_MAIN(ModelSelectionTest)
#include "model_selection_test.moc"
