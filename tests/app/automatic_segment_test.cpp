// medclick-cli segment --model kmunet|kanunet on a real BUSI image (untrained small weights in a real
// safetensors file: this checks the plumbing from an image to a geometry-true automatic mask, not
// segmentation quality), --then ikan with clicks on the bundled IKAN weights, and the one-line errors
// for weights of another model and for no weights at all; KANU-Net over a real BraTS volume slice by
// slice with both of its modalities (FLAIR, T1c) as channels, and the errors of a volume with the
// wrong modalities.

#include "io/image_reader.h"
#include "support/process_runner.h"
#include "support/written_mask_checks.h"
#include "io/mask_reader.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
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

// A grey 562 × 471 breast ultrasound image with its burnt-in scanner text.
QString busiImage() { return QString(MEDCLICK_SHARED_DATA) + "/busi/benign/benign (1).png"; }

// A BraTS case's first modality (FLAIR); its T1c is brats_2013_pat0003_1_0001.nii.gz beside it.
QString bratsFlair() { return QString(MEDCLICK_SHARED_DATA) + "/brats/imagesTr/brats_2013_pat0003_1_0000.nii.gz"; }

} // namespace

class AutomaticSegmentTest : public QObject {
  Q_OBJECT

  QTemporaryDir scratch_;
  QString file(const QString& name) const { return scratch_.filePath(name); }
  QString kmunetWeights_, kanunetWeights_, ikanWeights_, kanunetTwoModalityWeights_;

private slots:
  void initTestCase() {
    if (!fs::exists(busiImage().toStdString())) QSKIP("../shared/data is not beside this checkout");
    kmunetWeights_ = file("kmunet_small.safetensors");
    kanunetWeights_ = file("kanunet_small.safetensors");
    ikanWeights_ = file("ikan_small.safetensors");
    Result made = run(MEDCLICK_SEGMENTER_WEIGHTS_WRITER, {kmunetWeights_, "kmunet"});
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    made = run(MEDCLICK_SEGMENTER_WEIGHTS_WRITER, {kanunetWeights_, "kanunet"});
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    kanunetTwoModalityWeights_ = file("kanunet_small_2.safetensors");
    made = run(MEDCLICK_SEGMENTER_WEIGHTS_WRITER, {kanunetTwoModalityWeights_, "kanunet", "2"});
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    made = run(MEDCLICK_TORCH_WEIGHTS_WRITER, {ikanWeights_});
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
  }

  void kmunet_writes_an_automatic_mask_on_the_image_geometry() {
    const Result r = cli({"segment", busiImage(), "--model", "kmunet", "--weights", kmunetWeights_, "--device", "cpu", "--out",
                          file("kmunet_mask.nii.gz"), "--prob", file("kmunet_prob.nii.gz")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("KM-UNet (small) on cpu: automatic mask in"), qPrintable(r.out));
    expectGeometryKept(busiImage(), file("kmunet_mask.nii.gz"), file("kmunet_prob.nii.gz"));
  }

  void kmunet_no_flip_runs_one_pass_instead_of_the_mirror_average() {
    // The default averages the mirror image's logits in; --no-flip gives the one pass alone, so the
    // two probability maps of the same image and weights differ.
    const auto probability = [&](const QString& name, const QStringList& extra) {
      const Result r = cli(QStringList{"segment", busiImage(), "--model", "kmunet", "--weights", kmunetWeights_, "--device", "cpu", "--out",
                                       file(name + ".nii.gz"), "--prob", file(name + "_prob.nii.gz")} + extra);
      if (r.exitCode != 0) qWarning("%s", qPrintable(r.err));
      return readImage(file(name + "_prob.nii.gz").toStdString()).voxels();
    };
    const auto averaged = probability("flip", {});
    const auto onePass = probability("no_flip", {"--no-flip"});
    QCOMPARE(averaged.size(), onePass.size());
    double largest = 0.0;
    for (size_t i = 0; i < averaged.size(); ++i) largest = std::max(largest, std::abs(static_cast<double>(averaged[i] - onePass[i])));
    QVERIFY2(largest > 1e-4, qPrintable(QString::number(largest)));
  }

  void kanunet_writes_an_automatic_mask_on_the_image_geometry() {
    const Result r = cli({"segment", busiImage(), "--model", "kanunet", "--weights", kanunetWeights_, "--device", "cpu", "--out",
                          file("kanunet_mask.png"), "--prob", file("kanunet_prob.nii.gz")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("KANU-Net (small) on cpu: automatic mask in"), qPrintable(r.out));
    expectGeometryKept(busiImage(), file("kanunet_mask.png"), file("kanunet_prob.nii.gz"));
  }

  void then_ikan_refines_the_automatic_mask_with_clicks() {
    const Result r = cli({"segment", busiImage(), "--model", "kmunet", "--weights", kmunetWeights_, "--then", "ikan", "--device", "cpu",
                          "--click", "280,230,+", "--click", "60,400,-", "--out", file("chained_mask.nii.gz"), "--prob",
                          file("chained_prob.nii.gz")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("KM-UNet (small) on cpu: automatic mask in"), qPrintable(r.out));
    QVERIFY2(r.out.contains(", then IKAN (") && r.out.contains("on cpu: 2 click(s)"), qPrintable(r.out));
    expectGeometryKept(busiImage(), file("chained_mask.nii.gz"), file("chained_prob.nii.gz"));
  }

  void weights_of_another_model_are_refused_naming_the_file() {
    Result r = cli({"segment", busiImage(), "--model", "kmunet", "--weights", ikanWeights_, "--device", "cpu", "--out", file("never.png")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(ikanWeights_ + ": holds weights of model 'ikan', not KM-UNet"), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count('\n'), 0);
    r = cli({"segment", busiImage(), "--model", "kanunet", "--weights", kmunetWeights_, "--device", "cpu", "--out", file("never.png")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(kmunetWeights_ + ": holds weights of model 'kmunet', not KANU-Net"), qPrintable(r.err));
    QVERIFY(!fs::exists(file("never.png").toStdString()));
  }

  void without_weights_the_bundled_ones_are_used_or_the_folders_searched_are_named() {
    QTemporaryDir empty;
    const Result r = run(MEDCLICK_CLI, {"segment", busiImage(), "--model", "kmunet", "--out", file("bundled.nii.gz"), "--prob", file("bundled_prob.nii.gz")},
                         empty.path());
    // The source tree ships resources/models/kmunet.safetensors; an installation without it says where it looked.
    if (r.exitCode == 0) {
      QVERIFY2(r.out.contains("KM-UNet (small) on"), qPrintable(r.out));
      expectGeometryKept(busiImage(), file("bundled.nii.gz"), file("bundled_prob.nii.gz"));
      return;
    }
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("no trained kmunet weights"), qPrintable(r.err));
    QVERIFY2(r.err.contains("--weights FILE"), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count('\n'), 0);
    QVERIFY(!fs::exists(file("bundled.nii.gz").toStdString()));
  }

  void clicks_need_then_and_then_needs_an_automatic_model() {
    Result r = cli({"segment", busiImage(), "--model", "kmunet", "--weights", kmunetWeights_, "--click", "280,230,+", "--out", file("m.png")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("add --then ikan"), qPrintable(r.err));
    r = cli({"segment", busiImage(), "--model", "ikan", "--then", "classic", "--click", "280,230,+", "--out", file("m.png")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("--then follows an automatic model"), qPrintable(r.err));
    r = cli({"segment", busiImage(), "--model", "ikan", "--out", file("m.png")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("give at least one --click"), qPrintable(r.err));
  }

  void kanunet_segments_a_volume_slice_by_slice_with_its_nnunet_modalities() {
    const Result r = cli({"segment", bratsFlair(), "--model", "kanunet", "--weights", kanunetTwoModalityWeights_, "--device", "cpu", "--out",
                          file("brats_mask.nii.gz"), "--prob", file("brats_prob.nii.gz")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("KANU-Net (small) on cpu: 155 slice(s) of 2 modality(ies) in"), qPrintable(r.out));
    QVERIFY2(r.out.contains("mm^3"), qPrintable(r.out));
    expectGeometryKept(bratsFlair(), file("brats_mask.nii.gz"), file("brats_prob.nii.gz"));
    QCOMPARE(readMask(file("brats_mask.nii.gz").toStdString()).geometry().dimension, 3u);
  }

  void a_volume_with_the_wrong_modalities_is_refused_in_one_line() {
    // One modality given explicitly to weights that take two.
    Result r = cli({"segment", bratsFlair(), "--model", "kanunet", "--weights", kanunetTwoModalityWeights_, "--modality", bratsFlair(),
                    "--modality", bratsFlair(), "--device", "cpu", "--out", file("never3d.nii.gz")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("take 2 channel(s) (modalities), not 3"), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count('\n'), 0);
    // A "modality" on another grid (a 2D picture) names the file and both grids.
    r = cli({"segment", bratsFlair(), "--model", "kanunet", "--weights", kanunetTwoModalityWeights_, "--modality", busiImage(), "--device",
             "cpu", "--out", file("never3d.nii.gz")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(busiImage()) && r.err.contains("lies on another grid"), qPrintable(r.err));
    // --then refines 2D masks only.
    r = cli({"segment", bratsFlair(), "--model", "kanunet", "--weights", kanunetTwoModalityWeights_, "--then", "ikan", "--click", "100,100,+",
             "--out", file("never3d.nii.gz")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("--then refines a 2D image's mask"), qPrintable(r.err));
    QVERIFY(!fs::exists(file("never3d.nii.gz").toStdString()));
  }
};

QTEST_GUILESS_MAIN(AutomaticSegmentTest)
#include "automatic_segment_test.moc"
