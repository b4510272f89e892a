// The desktop application as a clinician drives it, offscreen: open the bundled samples, click on
// the view with the mouse (the bundled IKAN runs on the session's worker thread), undo/redo,
// propagate through a volume, an automatic KANU-Net mask that clicks refine, export a NIfTI on the
// image's grid, autosave and recover, and a bad file that reports an error while the work stays open.

#include "classic/watershed_engine.h"
#include "common/engine_choice.h"
#include "common/model_weights.h"
#include "io/image_reader.h"
#include "io/label_map_file.h"
#include "io/mask_reader.h"
#include "segments/label_description.h"
#include "view/segment_list_panel.h"
#include "window/segment_list_dock.h"
#include "window/main_window.h"
#include "support/test_engines.h"
#include "support/test_images.h"

#include <QComboBox>
#include <QProcess>
#include <QPushButton>
#include <QTableWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QToolBar>
#include <QToolButton>
#include <QtTest>

#include <fstream>

using namespace medclick;
using namespace medclick::ui;

namespace {

const QString kSamples = MEDCLICK_SAMPLES_DIR;

struct Harness {
  QTemporaryDir dataFolder;
  QStringList errors;
  QStringList questions;
  bool answer = true;

  MainWindowServices services() {
    MainWindowServices s;
    s.createEngine = [](const ModelEntry& entry, const QString& device) { // as app/gui does
      app::EngineChoices choices;
      choices.dimension = entry.volume ? 3 : 2;
      return std::shared_ptr<SegmentationEngine>(
          app::createEngineByName(entry.model.toStdString(), entry.weightsPath.toStdString(), device.toStdString(), choices));
    };
    s.describeWeights = [](const QString& path) -> std::optional<ModelEntry> { // as app/gui does
      const std::string model = app::modelNamedInWeights(path.toStdString());
      if (model.empty()) return std::nullopt;
      return ModelEntry{QString::fromStdString(model) + " (file)", QString::fromStdString(model), path, app::isVolumeModel(model),
                        app::isAutomaticModel(model)};
    };
    s.models = {{"IKAN", "ikan", QString()}, {"Classical", "classic", QString()}};
    s.dataFolder = dataFolder.path();
    s.confirm = [this](const QString& q) {
      questions << q;
      return answer;
    };
    s.showError = [this](const QString& m) { errors << m; };
    return s;
  }
};

// A stand-in 3D engine (this test is about the wiring, not a network): a ball of radius 3 voxels
// around every positive click, in the whole volume.
class BallEngine : public test::VolumeTestEngine {
public:
  std::string name() const override { return "Balls (3D)"; }
  std::string deviceName() const override { return "cpu"; }
  void setVolume(const float*, const std::array<std::size_t, 3>& size, const std::array<double, 3>&) override { size_ = size; }
  std::vector<float> refine(const VolumeClickList& clicks, const float* previous) override {
    std::vector<float> p(previous, previous + size_[0] * size_[1] * size_[2]);
    for (const VolumeClick& c : clicks)
      for (std::size_t k = 0; k < size_[2]; ++k)
        for (std::size_t j = 0; j < size_[1]; ++j)
          for (std::size_t i = 0; i < size_[0]; ++i)
            if ((i - c.i) * (i - c.i) + (j - c.j) * (j - c.j) + (k - c.k) * (k - c.k) <= 9.0)
              p[(k * size_[1] + j) * size_[0] + i] = c.positive ? 1.0f : 0.0f;
    return p;
  }

private:
  std::array<std::size_t, 3> size_{};
};

void waitForEngine(MainWindow& window) {
  QTRY_VERIFY_WITH_TIMEOUT(!window.controller().engineName().isEmpty(), 30000);
  window.controller().waitUntilIdle();
}

void clickOnPixel(MainWindow& window, SliceAxis axis, QPointF pixel, Qt::MouseButton button = Qt::LeftButton) {
  SliceView* view = window.viewer().view(axis);
  QVERIFY(view);
  QTest::mouseClick(view, button, Qt::NoModifier, view->widgetPosition(pixel).toPoint());
  window.controller().waitUntilIdle();
}

std::size_t maskCount(MainWindow& window) {
  const auto& s = window.controller().snapshot();
  return s ? s->mask().countNonZero() : 0;
}

} // namespace

class MainWindowTest : public QObject {
  Q_OBJECT

private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true); // settings and data go to a test location
    QCoreApplication::setOrganizationName("MedClickTest");
    QCoreApplication::setApplicationName("main_window_test");
  }

  void init() { QSettings().clear(); } // each test starts from the default model, as a new user

  void clicking_on_the_view_segments_the_sample_and_undo_redo_restore_it() {
    Harness h;
    MainWindow window(h.services());
    window.resize(900, 700);
    window.show();
    QVERIFY(window.openPath(kSamples + "/hc18_001_HC.png"));
    waitForEngine(window);
    QCOMPARE(window.controller().engineName().left(4), QString("IKAN"));

    clickOnPixel(window, SliceAxis::Axial, {403, 222});
    QVERIFY2(h.errors.isEmpty(), qPrintable(h.errors.join("\n")));
    const auto afterClick = window.controller().snapshot();
    QVERIFY(afterClick);
    QVERIFY(afterClick->mask().at(403, 222) == 1); // the clicked pixel is object
    const std::size_t area = afterClick->mask().countNonZero();
    QVERIFY2(area > 500 && area < afterClick->mask().labels().size() / 2, qPrintable(QString::number(area)));
    QCOMPARE(afterClick->clicksOf({SliceAxis::Axial, 0}).size(), std::size_t(1));

    // A right click outside the head is a negative click: the object there stays background.
    clickOnPixel(window, SliceAxis::Axial, {60, 400}, Qt::RightButton);
    QCOMPARE(window.controller().snapshot()->clicksOf({SliceAxis::Axial, 0}).size(), std::size_t(2));
    QVERIFY(!window.controller().snapshot()->clicksOf({SliceAxis::Axial, 0})[1].positive);
    QVERIFY(window.controller().snapshot()->mask().at(60, 400) == 0);

    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
    window.controller().waitUntilIdle();
    QCOMPARE(maskCount(window), area);
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
    window.controller().waitUntilIdle();
    QCOMPARE(maskCount(window), std::size_t(0));
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    window.controller().waitUntilIdle();
    QCOMPARE(maskCount(window), area);
  }

  void a_newer_click_replaces_a_waiting_one() {
    Harness h;
    MainWindow window(h.services());
    window.show();
    QVERIFY(window.openPath(kSamples + "/hc18_001_HC.png"));
    waitForEngine(window);
    SessionController& c = window.controller();
    c.addClick({SliceAxis::Axial, 0}, {403, 222, true}); // starts at once
    c.addClick({SliceAxis::Axial, 0}, {380, 230, true}); // waits...
    c.addClick({SliceAxis::Axial, 0}, {420, 200, true}); // ...and is replaced by this one
    c.waitUntilIdle();
    const auto clicks = c.snapshot()->clicksOf({SliceAxis::Axial, 0});
    QCOMPARE(clicks.size(), std::size_t(2));
    QCOMPARE(clicks[1].x, 420.0);
  }

  void brush_and_propagate_through_a_volume_then_export_nifti_on_the_image_grid() {
    Harness h;
    MainWindow window(h.services());
    window.resize(1000, 800);
    window.show();
    const QString volume = kSamples + "/breast1_image.nrrd";
    QVERIFY(window.openPath(volume));
    waitForEngine(window);
    QVERIFY(window.viewer().isVolume());
    QVERIFY(window.viewer().view(SliceAxis::Sagittal));

    // Paint a disk on the axial slice the cursor is on, then propagate it to the next slice.
    const auto cursor = window.viewer().cursor();
    window.viewer().setActiveAxis(SliceAxis::Axial);
    window.controller().paint(window.viewer().currentSlice(), double(cursor[0]), double(cursor[1]), 6.0, true);
    window.controller().waitUntilIdle();
    const std::size_t painted = maskCount(window);
    QVERIFY(painted > 20);
    QTest::keyClick(&window, Qt::Key_BracketRight, Qt::ControlModifier);
    window.controller().waitUntilIdle();
    QVERIFY2(h.errors.isEmpty(), qPrintable(h.errors.join("\n")));
    QCOMPARE(window.viewer().cursor()[2], cursor[2] + 1); // the view followed to the new slice
    std::size_t onNext = 0;
    const auto& mask = window.controller().snapshot()->mask();
    for (std::size_t j = 0; j < mask.geometry().size[1]; ++j)
      for (std::size_t i = 0; i < mask.geometry().size[0]; ++i) onNext += mask.at(i, j, cursor[2] + 1);
    QVERIFY2(onNext > 0, "propagation left the next slice empty");

    QTemporaryDir out;
    const QString path = out.filePath("mask.nii.gz");
    QVERIFY(window.exportMask(path));
    const Image image = readImage(volume.toStdString());
    const LabelMask exported = readMask(path.toStdString());
    QVERIFY2(exported.geometry().sameGridAs(image.geometry()),
             (exported.geometry().describe() + " vs " + image.geometry().describe()).c_str());
    QCOMPARE(exported.countNonZero(), maskCount(window));
    // A volume's mask is not squeezed into one PNG.
    QVERIFY(!window.exportMask(out.filePath("mask.png")));
    QCOMPARE(h.errors.size(), 1);
    QVERIFY(window.exportMaskSlices(out.filePath("slices")));
    QVERIFY(QFileInfo::exists(out.filePath("slices/slice_0000.png")));
  }

  void several_segments_from_the_dock_fill_between_slices_and_export_for_slicer() {
    Harness h;
    MainWindow window(h.services());
    window.resize(1200, 800);
    window.show();
    QVERIFY(window.openPath(kSamples + "/breast1_image.nrrd"));
    waitForEngine(window);
    window.viewer().setActiveAxis(SliceAxis::Axial);
    auto& controller = window.controller();
    const std::size_t k = 8;
    const auto labelsOf = [&] { return controller.snapshot()->mask().labels(); };
    const auto count = [&](Label label) {
      const auto labels = labelsOf();
      return static_cast<std::size_t>(std::count(labels.begin(), labels.end(), label));
    };
    controller.paint({SliceAxis::Axial, k}, 22, 60, 6.0, true); // segment 1, the new session's
    controller.waitUntilIdle();
    const std::size_t first = count(1);
    QVERIFY(first > 50);

    // Add: segment 2 becomes active; its brush overlaps segment 1 and leaves it whole.
    auto* add = window.segmentDock().findChild<QPushButton*>("addSegment");
    QVERIFY(add);
    QTest::mouseClick(add, Qt::LeftButton);
    controller.waitUntilIdle();
    QCOMPARE(controller.snapshot()->activeSegment, Label(2));
    QTableWidget* table = window.segmentDock().panel().table();
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->currentRow(), 1);
    controller.paint({SliceAxis::Axial, k}, 30, 60, 6.0, true);
    controller.waitUntilIdle();
    QCOMPARE(count(1), first);
    QVERIFY(count(2) > 20);
    QCOMPARE(controller.snapshot()->mask().at(22, 60, k), Label(1));
    QCOMPARE(controller.snapshot()->mask().at(34, 60, k), Label(2));

    // Rename in the table; lock: the brush is refused with a message, nothing changes.
    table->item(1, 1)->setText("Lesion");
    controller.waitUntilIdle();
    QCOMPARE(controller.snapshot()->segments[1].segment.name, std::string("Lesion"));
    table->item(1, 4)->setCheckState(Qt::Checked);
    controller.waitUntilIdle();
    const auto beforeLocked = labelsOf();
    controller.paint({SliceAxis::Axial, k}, 30, 80, 4.0, true);
    controller.waitUntilIdle();
    QCOMPARE(h.errors.size(), 1);
    QVERIFY2(h.errors.front().contains("locked"), qPrintable(h.errors.front()));
    QVERIFY(labelsOf() == beforeLocked);
    h.errors.clear();
    table->item(1, 4)->setCheckState(Qt::Unchecked);
    controller.waitUntilIdle();

    // Fill between slices: the lesion drawn on k and k + 4 fills k + 1..k + 3, one undo step.
    controller.paint({SliceAxis::Axial, k + 4}, 30, 60, 6.0, true);
    controller.waitUntilIdle();
    auto* fill = window.findChild<QAction*>("fillBetweenSlices");
    QVERIFY(fill && fill->isEnabled());
    fill->trigger();
    controller.waitUntilIdle();
    QVERIFY2(h.errors.isEmpty(), qPrintable(h.errors.join("\n")));
    for (std::size_t between = k + 1; between < k + 4; ++between) QCOMPARE(controller.snapshot()->mask().at(34, 60, between), Label(2));
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
    controller.waitUntilIdle();
    QCOMPARE(controller.snapshot()->mask().at(34, 60, k + 2), Label(0));
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    controller.waitUntilIdle();
    QCOMPARE(controller.snapshot()->mask().at(34, 60, k + 2), Label(2));

    // Choosing segment 1's row makes it active; export for Slicer keeps names and voxels.
    table->setCurrentCell(0, 1);
    controller.waitUntilIdle();
    QCOMPARE(controller.snapshot()->activeSegment, Label(1));
    QTemporaryDir out;
    QVERIFY(window.exportMask(out.filePath("case.seg.nrrd")));
    const LabelMapFile exported = readLabelMap(out.filePath("case.seg.nrrd").toStdString());
    QVERIFY(exported.labels.labels() == labelsOf());
    QCOMPARE(exported.segments.size(), std::size_t(2));
    QCOMPARE(exported.segments[1].name, std::string("Lesion"));

    // Label descriptions: import renames and recolours; export writes what the list shows.
    h.errors.clear();
    std::ofstream(out.filePath("labels.txt").toStdString()) << "  2  10 20 30  1 1 1  \"Tumour\"\n";
    QVERIFY(window.segmentDock().importLabelDescription(out.filePath("labels.txt")));
    controller.waitUntilIdle();
    QCOMPARE(controller.snapshot()->segments[1].segment.name, std::string("Tumour"));
    QCOMPARE(table->item(1, 1)->text(), QString("Tumour"));
    QVERIFY(window.segmentDock().exportLabelDescription(out.filePath("written.txt")));
    QCOMPARE(readLabelDescription(out.filePath("written.txt").toStdString()).size(), std::size_t(2));
    QVERIFY(!window.segmentDock().importLabelDescription(out.filePath("missing.txt")));
    QCOMPARE(h.errors.size(), 1);

    // A label map opened onto the image replaces the segmentation, names and colours included, after asking.
    QVERIFY(window.openSegmentation(out.filePath("case.seg.nrrd")));
    QCOMPARE(h.questions.size(), 1);
    controller.waitUntilIdle();
    QVERIFY(labelsOf() == exported.labels.labels());
    QCOMPARE(controller.snapshot()->segments[1].segment.name, std::string("Lesion"));
    QVERIFY(!controller.snapshot()->canUndo);
    h.answer = false; // a declined question changes nothing
    controller.paint({SliceAxis::Axial, 3}, 10, 10, 2.0, true);
    controller.waitUntilIdle();
    const auto beforeDeclined = labelsOf();
    QVERIFY(!window.openSegmentation(out.filePath("case.seg.nrrd")));
    QVERIFY(labelsOf() == beforeDeclined);
    h.answer = true;
    writeLabelMap(LabelMask(testing::obliqueGeometry3d()), {}, out.filePath("other.nii.gz").toStdString());
    h.errors.clear();
    QVERIFY(!window.openSegmentation(out.filePath("other.nii.gz"))); // another grid: refused, the work stays
    QCOMPARE(h.errors.size(), 1);
    QVERIFY2(h.errors.front().contains("grid"), qPrintable(h.errors.front()));
    QVERIFY(labelsOf() == beforeDeclined);
    h.questions.clear();
    h.errors.clear();

    // Remove asks first, then the segment and its voxels are gone.
    const std::size_t segmentOne = count(1);
    window.segmentDock().removeSegment(2);
    controller.waitUntilIdle();
    QCOMPARE(h.questions.size(), 1);
    QCOMPARE(count(2), std::size_t(0));
    QCOMPARE(count(1), segmentOne);
    QCOMPARE(table->rowCount(), 1);
  }

  void dicom_seg_export_needs_the_dicom_series_the_image_came_from() {
    Harness h;
    MainWindow window(h.services());
    window.show();
    QTemporaryDir out;
    QVERIFY(window.openPath(kSamples + "/breast1_image.nrrd"));
    waitForEngine(window);
    window.controller().paint({SliceAxis::Axial, 8}, 22, 60, 6.0, true);
    window.controller().waitUntilIdle();
    QVERIFY(!window.exportDicomSeg(out.filePath("nrrd.dcm")));
    QCOMPARE(h.errors.size(), 1);
    QVERIFY2(h.errors.front().contains("not read from one"), qPrintable(h.errors.front()));
    QVERIFY(!QFileInfo::exists(out.filePath("nrrd.dcm")));

    const QString series = QString(MEDCLICK_SHARED_DATA) + "/dicom-sag-t1/series";
    QVERIFY(window.openPath(series));
    window.controller().waitUntilIdle();
    window.controller().paint({SliceAxis::Axial, 12}, 128, 128, 10.0, true);
    window.controller().waitUntilIdle();
    QVERIFY2(window.exportDicomSeg(out.filePath("seg.dcm")), qPrintable(h.errors.join("\n")));
    QVERIFY(QFileInfo(out.filePath("seg.dcm")).size() > 1000);
  }

  void a_click_in_the_coronal_view_refines_the_volume_with_a_3d_model() {
    Harness h;
    MainWindowServices services = h.services();
    services.models.append({"Balls", "balls", QString(), true});
    const auto createEngine = services.createEngine;
    services.createEngine = [createEngine](const ModelEntry& entry, const QString& device) -> std::shared_ptr<SegmentationEngine> {
      if (entry.model == "balls") return std::make_shared<BallEngine>();
      return createEngine(entry, device);
    };
    MainWindow window(services);
    window.resize(1000, 800);
    window.show();
    QVERIFY(window.openPath(kSamples + "/breast1_image.nrrd"));
    waitForEngine(window);
    window.findChild<QComboBox*>("modelCombo")->setCurrentIndex(2);
    QTRY_COMPARE(window.controller().engineName(), QString("Balls (3D)"));
    window.controller().waitUntilIdle();

    const auto cursor = window.viewer().cursor(); // the coronal view shows plane j = cursor[1]
    clickOnPixel(window, SliceAxis::Coronal, QPointF(double(cursor[0]), double(cursor[2])));
    QVERIFY2(h.errors.isEmpty(), qPrintable(h.errors.join("\n")));
    const auto& snapshot = *window.controller().snapshot();
    QCOMPARE(snapshot.volumeClicks.size(), std::size_t(1));
    QCOMPARE(snapshot.volumeClicks[0].j, double(cursor[1]));
    // The ball spans neighbouring coronal planes too: the whole lesion, not one slice.
    QCOMPARE(snapshot.mask().at(cursor[0], cursor[1] + 2, cursor[2]), std::uint8_t{1});
    QCOMPARE(snapshot.mask().at(cursor[0], cursor[1], cursor[2]), std::uint8_t{1});
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
    window.controller().waitUntilIdle();
    QCOMPARE(maskCount(window), std::size_t(0));

    // The 3D model on a 2D image is refused with a message, not a crash.
    QVERIFY(window.openPath(kSamples + "/hc18_001_HC.png"));
    clickOnPixel(window, SliceAxis::Axial, {403, 222});
    QCOMPARE(h.errors.size(), 1);
    QCOMPARE(maskCount(window), std::size_t(0));
  }

  // An nnU-Net case opened by its NAME_0000 file brings NAME_0001 along: a two-modality KANU-Net
  // proposes a mask of the slice. The same file alone (no T1c beside it) is a clear error, no crash.
  void auto_on_a_brats_volume_gives_kanunet_both_modalities() {
    const QString flair = QString(MEDCLICK_SHARED_DATA) + "/brats/imagesTr/brats_2013_pat0005_1_0000.nii.gz";
    if (!QFileInfo::exists(flair)) QSKIP("../shared/data is not beside this checkout");
    QTemporaryDir dir;
    const QString weights = dir.filePath("kanunet_small_2.safetensors"); // untrained, 2 modalities
    QProcess writer;
    writer.start(MEDCLICK_SEGMENTER_WEIGHTS_WRITER, {weights, "kanunet", "2"});
    QVERIFY(writer.waitForFinished(120000) && writer.exitCode() == 0);
    const QString alone = dir.filePath("alone_0000.nii.gz");
    QVERIFY(QFile::copy(flair, alone));

    Harness h;
    MainWindow window(h.services());
    window.resize(900, 700);
    window.show();
    QVERIFY(window.openPath(flair));
    waitForEngine(window);
    QVERIFY(window.addWeightsFile(weights));
    QTRY_COMPARE_WITH_TIMEOUT(window.controller().automaticSegmenterName(), QString("KANU-Net (small)"), 30000);
    QAction* autoMask = window.findChild<QAction*>("autoMask");
    QVERIFY(autoMask && autoMask->isEnabled());
    autoMask->trigger();
    window.controller().waitUntilIdle();
    QVERIFY2(h.errors.isEmpty(), qPrintable(h.errors.join("\n")));

    QVERIFY(window.openPath(alone));
    window.controller().waitUntilIdle();
    autoMask->trigger();
    window.controller().waitUntilIdle();
    QTRY_COMPARE_WITH_TIMEOUT(h.errors.size(), 1, 10000);
    QVERIFY2(h.errors.front().contains("2 channel(s)"), qPrintable(h.errors.front()));
    QCOMPARE(maskCount(window), std::size_t(0));
  }

  // KANU-Net, not KM-UNet: the untrained KM-UNet's probability stays just below 0.5 (an empty mask),
  // the untrained KANU-Net marks most of the image. The path through the session is the same.
  void the_auto_button_proposes_a_kanunet_mask_that_undo_removes_and_a_click_refines() {
    const QString busi = QString(MEDCLICK_SHARED_DATA) + "/busi/benign/benign (1).png";
    if (!QFileInfo::exists(busi)) QSKIP("../shared/data is not beside this checkout");
    QTemporaryDir dir;
    const QString weights = dir.filePath("kanunet_small.safetensors"); // untrained, with KANU-Net's metadata
    QProcess writer;
    writer.start(MEDCLICK_SEGMENTER_WEIGHTS_WRITER, {weights, "kanunet"});
    QVERIFY(writer.waitForFinished(120000) && writer.exitCode() == 0);

    Harness h;
    MainWindow window(h.services());
    window.resize(900, 700);
    window.show();
    QVERIFY(window.openPath(busi));
    waitForEngine(window);
    QAction* autoMask = window.findChild<QAction*>("autoMask");
    QVERIFY(autoMask);
    QVERIFY(!autoMask->isEnabled()); // IKAN is chosen: nothing automatic to run

    // Weights whose metadata names kanunet become an automatic entry; the clicks stay with IKAN.
    QVERIFY(window.addWeightsFile(weights));
    QCOMPARE(window.findChild<QComboBox*>("modelCombo")->currentText(), QString("kanunet (file)"));
    QTRY_COMPARE_WITH_TIMEOUT(window.controller().automaticSegmenterName(), QString("KANU-Net (small)"), 30000);
    window.controller().waitUntilIdle();
    QCOMPARE(window.controller().engineName().left(4), QString("IKAN"));
    QVERIFY(autoMask->isEnabled());

    // The tool bar's Auto button: a mask where there was none, with no clicks, one undo step.
    auto* button = qobject_cast<QToolButton*>(window.findChild<QToolBar*>("segmentationToolBar")->widgetForAction(autoMask));
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
    window.controller().waitUntilIdle();
    QVERIFY2(h.errors.isEmpty(), qPrintable(h.errors.join("\n")));
    const auto automatic = window.controller().snapshot();
    const std::size_t automaticArea = automatic->mask().countNonZero();
    QVERIFY2(automaticArea > 0, "the automatic mask is empty");
    QVERIFY(automatic->clicksOf({SliceAxis::Axial, 0}).empty());
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
    window.controller().waitUntilIdle();
    QCOMPARE(maskCount(window), std::size_t(0));

    // For comparison: IKAN's answer to a click on the empty mask (then undone).
    const QPointF lesion(280, 230);
    clickOnPixel(window, SliceAxis::Axial, lesion);
    const std::vector<Label> fromNothing = window.controller().snapshot()->mask().labels();
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
    window.controller().waitUntilIdle();

    // Ctrl+Shift+A gives the same automatic mask again; the same click now refines it: round one
    // gets the automatic probability as its previous one, so the answer differs from the one above.
    QTest::keyClick(&window, Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier);
    window.controller().waitUntilIdle();
    QVERIFY(window.controller().snapshot()->mask().labels() == automatic->mask().labels());
    clickOnPixel(window, SliceAxis::Axial, lesion);
    QVERIFY2(h.errors.isEmpty(), qPrintable(h.errors.join("\n")));
    const auto refined = window.controller().snapshot();
    QCOMPARE(refined->clicksOf({SliceAxis::Axial, 0}).size(), std::size_t(1));
    QVERIFY(refined->mask().labels() != automatic->mask().labels());
    QVERIFY(refined->mask().labels() != fromNothing);
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier); // the click's step, then the automatic one
    window.controller().waitUntilIdle();
    QCOMPARE(maskCount(window), automaticArea);
  }

  void autosave_appears_and_recovery_restores_it_after_a_crash() {
    Harness h;
    std::vector<Label> labels;
    {
      auto window = std::make_unique<MainWindow>(h.services());
      window->show();
      QVERIFY(window->openPath(kSamples + "/hc18_001_HC.png"));
      waitForEngine(*window);
      clickOnPixel(*window, SliceAxis::Axial, {403, 222});
      QTRY_VERIFY_WITH_TIMEOUT(window->autosaveStore().hasRecovery(), 5000);
      labels = window->controller().snapshot()->mask().labels();
      // Destroyed without a close event: what a crash leaves behind.
    }
    MainWindow next(h.services());
    next.show();
    QVERIFY(next.offerRecovery());
    QCOMPARE(h.questions.size(), 1);
    QVERIFY(next.controller().snapshot());
    QVERIFY(next.controller().snapshot()->mask().labels() == labels);
    QCOMPARE(next.controller().snapshot()->clicksOf({SliceAxis::Axial, 0}).size(), std::size_t(1));

    // A clean close discards the autosave: nothing is offered next time.
    h.answer = true; // "close anyway?"
    QVERIFY(next.close());
    QVERIFY(!next.autosaveStore().hasRecovery());
  }

  void a_bad_file_reports_an_error_and_keeps_the_work() {
    Harness h;
    MainWindow window(h.services());
    window.show();
    QVERIFY(window.openPath(kSamples + "/hc18_001_HC.png"));
    waitForEngine(window);
    clickOnPixel(window, SliceAxis::Axial, {403, 222});
    const auto before = window.controller().snapshot();

    QTemporaryDir dir;
    const QString broken = dir.filePath("broken.nii.gz");
    std::ofstream(broken.toStdString()) << "\x1f\x8b not really gzip";
    QVERIFY(!window.openPath(broken));
    QCOMPARE(h.errors.size(), 1);
    QVERIFY2(h.errors.first().contains(broken), qPrintable(h.errors.first()));
    // A hostile header (issue 21): its data file is outside its folder; the dialog gives the reason.
    const QString escaping = dir.filePath("escaping.mhd");
    std::ofstream(escaping.toStdString()) << "ObjectType = Image\nNDims = 2\nDimSize = 8 6\nElementType = MET_UCHAR\n"
                                             "ElementDataFile = /etc/passwd\n";
    QVERIFY(!window.openPath(escaping));
    QCOMPARE(h.errors.size(), 2);
    QVERIFY2(h.errors.last().contains(escaping) && h.errors.last().contains("absolute path"), qPrintable(h.errors.last()));
    QVERIFY(!window.openSession(dir.filePath("missing.medclick")));
    QCOMPARE(h.errors.size(), 3);
    QVERIFY(window.controller().image());
    QCOMPARE(window.controller().image()->geometry().size[0], std::size_t(800));
    QVERIFY(window.controller().snapshot() == before);
  }

  void saved_session_reopens_with_mask_and_clicks() {
    Harness h;
    QTemporaryDir dir;
    const QString sessionPath = dir.filePath("work.medclick");
    std::size_t area = 0;
    {
      MainWindow window(h.services());
      window.show();
      QVERIFY(window.openPath(kSamples + "/hc18_001_HC.png"));
      waitForEngine(window);
      clickOnPixel(window, SliceAxis::Axial, {403, 222});
      area = maskCount(window);
      QVERIFY(window.saveSession(sessionPath));
      QVERIFY(window.close());
      QVERIFY(h.questions.isEmpty()); // saved: closing asks nothing
    }
    MainWindow again(h.services());
    again.show();
    QVERIFY(again.openSession(sessionPath));
    QCOMPARE(maskCount(again), area);
    QCOMPARE(again.controller().snapshot()->clicksOf({SliceAxis::Axial, 0}).size(), std::size_t(1));
  }
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
