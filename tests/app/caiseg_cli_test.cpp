// medclick-cli segment and evaluate --model caiseg on real volumes from ../shared/data (untrained slim weights in
// a real safetensors file: this checks the plumbing from voxel clicks to a geometry-true mask, not
// segmentation quality), its one-line errors, and bench --model caiseg.

#include "io/image_reader.h"
#include "io/image_writer.h"
#include "support/process_runner.h"
#include "support/written_mask_checks.h"
#include "io/mask_reader.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace medclick;
namespace fs = std::filesystem;

using medclick::test::expectGeometryKept;

namespace {

using Result = test::ProcessResult;

Result run(const QString& program, const QStringList& arguments, const QString& weightsDir = {}) {
  return test::runProcess(program, arguments, 300000, weightsDir);
}

Result cli(const QStringList& arguments) { return run(MEDCLICK_CLI, arguments); }

QString sharedData(const QString& relative) { return QString(MEDCLICK_SHARED_DATA) + "/" + relative; }

} // namespace

class CaisegCliTest : public QObject {
  Q_OBJECT

  QTemporaryDir scratch_;
  QString file(const QString& name) const { return scratch_.filePath(name); }
  QString isotropicWeights_, anisotropicWeights_;

private slots:
  void initTestCase() {
    isotropicWeights_ = file("caiseg_slim.safetensors");
    anisotropicWeights_ = file("caiseg_slim_anisotropic.safetensors");
    Result made = run(MEDCLICK_CAISEG_WEIGHTS_WRITER, {isotropicWeights_});
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    made = run(MEDCLICK_CAISEG_WEIGHTS_WRITER, {anisotropicWeights_, "--anisotropic"});
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
  }

  void segment_a_brats_volume_keeps_its_geometry() {
    const QString volume = sharedData("brats/imagesTr/brats_2013_pat0004_1_0000.nii.gz");
    if (!fs::exists(volume.toStdString())) QSKIP("../shared/data is not beside this checkout");
    // A small patch keeps the test fast on a shared CPU.
    const Result r = cli({"segment", volume, "--model", "caiseg", "--weights", isotropicWeights_, "--device", "cpu", "--patch", "32x64x64",
                          "--click", "120,130,77,+", "--click", "100,140,80,-", "--out", file("brats_mask.nii.gz"), "--prob",
                          file("brats_prob.nii.gz")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("CAISeg (slim) on cpu: 2 click(s)"), qPrintable(r.out));
    expectGeometryKept(volume, file("brats_mask.nii.gz"), file("brats_prob.nii.gz"));
  }

  void segment_an_anisotropic_volume_smaller_than_the_patch() {
    // breast1: 45 × 120 × 21 voxels at 0.66 × 0.66 × 2.1 mm; the default patch (24 × 128 × 48 here) is padded.
    const QString volume = sharedData("lesions-nrrd/breast1_image.nrrd");
    if (!fs::exists(volume.toStdString())) QSKIP("../shared/data is not beside this checkout");
    const Result r = cli({"segment", volume, "--model", "caiseg", "--weights", anisotropicWeights_, "--device", "cpu", "--click", "22,60,10,+",
                          "--out", file("breast_mask.nrrd"), "--prob", file("breast_prob.nrrd")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("CAISeg (slim, anisotropic) on cpu: 1 click(s)"), qPrintable(r.out));
    expectGeometryKept(volume, file("breast_mask.nrrd"), file("breast_prob.nrrd"));
  }

  void evaluate_runs_the_3d_protocol_for_caiseg_and_the_classical_watershed() {
    const QString folder = sharedData("lesions-nrrd");
    if (!fs::exists(folder.toStdString())) QSKIP("../shared/data is not beside this checkout");
    const QString split = file("breast_split.txt");
    QFile splitFile(split);
    QVERIFY(splitFile.open(QIODevice::WriteOnly));
    splitFile.write("train\tlesions-nrrd/brain1\nvalidation\tlesions-nrrd/breast1\n");
    splitFile.close();
    // CAISeg: an automatic round (Dice@0), then two clicks; untrained weights, so only the plumbing is checked.
    Result r = cli({"evaluate", "--model", "caiseg", "--weights", anisotropicWeights_, "--data", folder, "--split", split, "--max-clicks", "2",
                    "--device", "cpu", "--out", file("eval-caiseg")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("mNoC@85") && r.out.contains("automatic first round"), qPrintable(r.out));
    QFile summary(file("eval-caiseg/summary.json"));
    QVERIFY(summary.open(QIODevice::ReadOnly));
    const QJsonObject o = QJsonDocument::fromJson(summary.readAll()).object();
    QCOMPARE(o["metric"].toString(), QString("dice"));
    QCOMPARE(o["cases"].toInt(), 1);
    QVERIFY(o.contains("mdice_at_0") && o["final"].toObject().contains("assd_mm"));
    QCOMPARE(o["mdice_per_click"].toArray().size(), 2);
    QVERIFY(fs::exists(file("eval-caiseg/dice_vs_clicks.png").toStdString()));
    QFile perCase(file("eval-caiseg/per_case.csv"));
    QVERIFY(perCase.open(QIODevice::ReadOnly));
    QVERIFY(perCase.readLine().startsWith("case,noc80,noc85,noc90,seconds,dice,jaccard,precision,recall,hd95_mm,assd_mm,dice0,dice1,dice2"));
    // --clicks-only: the first click starts from an empty mask, as a GUI user who never presses Auto.
    r = cli({"evaluate", "--model", "caiseg", "--clicks-only", "--weights", anisotropicWeights_, "--data", folder, "--split", split,
             "--max-clicks", "2", "--device", "cpu", "--out", file("eval-caiseg-clicks")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(!r.out.contains("automatic first round"), qPrintable(r.out));
    QFile clicksOnly(file("eval-caiseg-clicks/summary.json"));
    QVERIFY(clicksOnly.open(QIODevice::ReadOnly));
    const QJsonObject c = QJsonDocument::fromJson(clicksOnly.readAll()).object();
    QVERIFY(!c.contains("mdice_at_0"));
    QCOMPARE(c["mdice_per_click"].toArray().size(), 2);
    // --compare plots Dice curves of volumes together, and refuses to put a 2D run's IoU curve on their axis.
    r = cli({"evaluate", "--compare", file("eval-caiseg/summary.json"), "--compare", file("eval-caiseg-clicks/summary.json"), "--out",
             file("dice.png")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(fs::exists(file("dice.png").toStdString()));
    QVERIFY(QDir().mkpath(file("eval-2d")));
    QFile iouSummary(file("eval-2d/summary.json"));
    QVERIFY(iouSummary.open(QIODevice::WriteOnly));
    iouSummary.write(R"({"model": "IKAN", "cases": 1, "miou_per_click": [0.5, 0.7]})");
    iouSummary.close();
    r = cli({"evaluate", "--compare", file("eval-caiseg/summary.json"), "--compare", file("eval-2d/summary.json"), "--out", file("mixed.png")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("summaries of one metric: Dice and IoU"), qPrintable(r.err));
    QVERIFY(!fs::exists(file("mixed.png").toStdString()));
    // classic follows the data: on volumes it is ITK's 3D watershed, from the first click.
    r = cli({"evaluate", "--model", "classic", "--data", folder, "--split", split, "--max-clicks", "2", "--out", file("eval-classic")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("classic (3D watershed)") && !r.out.contains("automatic first round"), qPrintable(r.out));
    // --init belongs to the 2D protocol.
    r = cli({"evaluate", "--model", "caiseg", "--weights", anisotropicWeights_, "--data", folder, "--init", "kmunet", "--out", file("x")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("has its own automatic round"), qPrintable(r.err));
    r = cli({"evaluate", "--model", "classic", "--clicks-only", "--data", folder, "--out", file("y")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("--clicks-only applies to --model caiseg"), qPrintable(r.err));
  }

  void evaluate_label_targets_scores_every_label_of_a_multi_label_reference() {
    // A 24×24×12 MSD case: a bright block stored as label 1 beside a dimmer one stored as label 2.
    const fs::path data = fs::path(file("multi-label").toStdString());
    fs::create_directories(data / "imagesTr");
    fs::create_directories(data / "labelsTr");
    const ImageGeometry g{3, {24, 24, 12}};
    Image image(g, 1, PixelType::Float32);
    image.voxels().assign(g.voxelCount(), 10.0f);
    LabelMask labels(g);
    for (std::size_t k = 3; k < 9; ++k)
      for (std::size_t j = 4; j < 20; ++j)
        for (std::size_t i = 3; i < 21; ++i) {
          const std::size_t v = (k * 24 + j) * 24 + i;
          labels.labels()[v] = i < 12 ? 1 : 2;
          image.voxels()[v] = i < 12 ? 200.0f : 120.0f;
        }
    writeImage(image, (data / "imagesTr" / "vol_0000.nii.gz").string());
    writeMask(labels, (data / "labelsTr" / "vol.nii.gz").string());
    Result r = cli({"evaluate", "--model", "classic", "--data", QString::fromStdString(data.string()), "--max-clicks", "2", "--label-targets",
                    "--out", file("eval-targets")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QFile perCase(file("eval-targets/per_case.csv"));
    QVERIFY(perCase.open(QIODevice::ReadOnly));
    QStringList names;
    for (const QString& row : QString::fromUtf8(perCase.readAll()).split('\n', Qt::SkipEmptyParts).mid(1)) names << row.section(',', 0, 0);
    QCOMPARE(names, (QStringList{"\"multi-label/vol\"", "\"multi-label/vol#1\"", "\"multi-label/vol#2\""}));
    r = cli({"evaluate", "--model", "classic", "--data", QString::fromStdString(data.string()), "--label-targets", "--label", "1", "--out",
             file("x")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("drop --label"), qPrintable(r.err));
  }

  void segment_without_weights_says_none_are_installed() {
    const QString volume = sharedData("lesions-nrrd/breast1_image.nrrd");
    if (!fs::exists(volume.toStdString())) QSKIP("../shared/data is not beside this checkout");
    QTemporaryDir empty;
    const Result r = run(MEDCLICK_CLI, {"segment", volume, "--model", "caiseg", "--click", "22,60,10,+", "--out", file("never.nrrd")},
                         empty.path());
    // The bundled weights in the source tree are found whatever MEDCLICK_WEIGHTS_DIR says: then it succeeds.
    if (r.exitCode == 0) return;
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("no trained caiseg weights are installed"), qPrintable(r.err));
    QVERIFY2(r.err.contains("--weights FILE"), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count('\n'), 0);
    QVERIFY(!fs::exists(file("never.nrrd").toStdString()));
  }

  void segment_refuses_2d_images_bad_clicks_and_other_weights() {
    const QString volume = sharedData("lesions-nrrd/breast1_image.nrrd");
    const QString picture = sharedData("hc18/images/001_HC.png");
    if (!fs::exists(volume.toStdString())) QSKIP("../shared/data is not beside this checkout");
    Result r = cli({"segment", picture, "--model", "caiseg", "--weights", isotropicWeights_, "--click", "10,10,0,+", "--out", file("m.nii.gz")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("segments 3D volumes; this image is 2D"), qPrintable(r.err));
    r = cli({"segment", volume, "--model", "caiseg", "--weights", isotropicWeights_, "--click", "45,10,3,+", "--out", file("m.nii.gz")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("lies outside the volume (45x120x21)"), qPrintable(r.err));
    r = cli({"segment", volume, "--model", "caiseg", "--weights", isotropicWeights_, "--click", "10,10,+", "--out", file("m.nii.gz")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("--click expects X,Y,Z,+ or X,Y,Z,-"), qPrintable(r.err));
    r = cli({"segment", volume, "--weights", isotropicWeights_, "--click", "10,10,+", "--out", file("m.nii.gz")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("this one is 3D (use --model caiseg)"), qPrintable(r.err));
    const QString ikan = file("ikan_small.safetensors");
    QCOMPARE(run(MEDCLICK_TORCH_WEIGHTS_WRITER, {ikan}).exitCode, 0);
    r = cli({"segment", volume, "--model", "caiseg", "--weights", ikan, "--click", "10,10,3,+", "--out", file("m.nii.gz")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("holds weights of model 'ikan', not CAISeg"), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count('\n'), 0);
    QVERIFY(!fs::exists(file("m.nii.gz").toStdString()));
  }

  void bench_caiseg_prints_the_caiseg_benchmark() {
    const Result r = cli({"bench", "--model", "caiseg", "--patch", "16x32x32", "--repeat", "1", "--device", "cpu", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.trimmed().toUtf8()).object();
    QCOMPARE(o["model"].toString(), QString("caiseg"));
    QCOMPARE(o["variant"].toString(), QString("slim"));
    for (const QString key : {"params", "full_gflops", "refine_gflops", "full_median_s", "refine_median_s"})
      QVERIFY2(o[key].toDouble() > 0.0, qPrintable(key));
    QCOMPARE(cli({"bench", "--model", "caiseg", "--patch", "16x32"}).exitCode, 1);
  }
};

QTEST_GUILESS_MAIN(CaisegCliTest)
#include "caiseg_cli_test.moc"
