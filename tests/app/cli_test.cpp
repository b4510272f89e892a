// medclick-cli as a user runs it: exit status 0 or 1 (never a signal), one-line errors on stderr,
// geometry that an independent reader (nibabel) and an independent converter (dcm2niix) agree with.

#include "io/image_reader.h"
#include "io/image_writer.h"
#include "io/label_map_file.h"
#include "io/mask_reader.h"
#include "support/process_runner.h"
#include "support/test_images.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace medclick;
namespace fs = std::filesystem;

namespace {

using Result = test::ProcessResult;

Result run(const QString& program, const QStringList& arguments) { return test::runProcess(program, arguments, 120000); }

Result cli(const QStringList& arguments) { return run(MEDCLICK_CLI, arguments); }

QString sharedData(const QString& relative) { return QString(MEDCLICK_SHARED_DATA) + "/" + relative; }

// nibabel's affine is in RAS: ITK's LPS x and y change sign.
QStringList expectedRasAffine(const ImageGeometry& g) {
  QStringList values;
  for (int r = 0; r < 3; ++r) {
    const double sign = r < 2 ? -1.0 : 1.0;
    for (int c = 0; c < 3; ++c) values << QString::number(sign * g.direction[r * 3 + c] * g.spacing[c], 'g', 17);
    values << QString::number(sign * g.origin[r], 'g', 17);
  }
  values << "0" << "0" << "0" << "1";
  return values;
}

} // namespace

class CliTest : public QObject {
  Q_OBJECT

  QTemporaryDir scratch_;
  QString file(const QString& name) const { return scratch_.filePath(name); }

  // Eight bright discs on a dark background as images/ + masks/ PNG pairs.
  QString writeDiscPngs(const QString& name) {
    const QString data = scratch_.filePath(name);
    QDir().mkpath(data + "/images");
    QDir().mkpath(data + "/masks");
    for (int c = 0; c < 8; ++c) {
      QImage image(64, 56, QImage::Format_Grayscale8), mask(64, 56, QImage::Format_Grayscale8);
      for (int y = 0; y < 56; ++y)
        for (int x = 0; x < 64; ++x) {
          const bool inside = (x - 22 - 2 * c) * (x - 22 - 2 * c) + (y - 27) * (y - 27) <= (9 + c % 4) * (9 + c % 4);
          image.setPixel(x, y, qRgb(inside ? 170 : 60, inside ? 170 : 60, inside ? 170 : 60));
          mask.setPixel(x, y, inside ? qRgb(255, 255, 255) : qRgb(0, 0, 0));
        }
      image.save(QString("%1/images/case%2.png").arg(data).arg(c));
      mask.save(QString("%1/masks/case%2.png").arg(data).arg(c));
    }
    return data;
  }

  void expectBadInput(const QStringList& arguments, const QString& path, const QString& reason) {
    const Result r = cli(arguments);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(path + ": "), qPrintable(r.err));
    QVERIFY2(r.err.contains(reason), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count('\n'), 0);
    QVERIFY(r.out.isEmpty());
  }

private slots:
  void train_with_nproc_runs_two_ranks_that_write_one_set_of_files() {
    // Two ranks on 127.0.0.1 (Gloo), batch 2.
    const QString data = writeDiscPngs("discs"), out = scratch_.filePath("nproc-run");
    const auto r = cli({"train", "--data", data, "--out", out, "--nproc", "2", "--epochs", "1", "--steps-per-epoch", "2", "--batch", "2",
                        "--val-fraction", "0.25", "--val-limit", "2", "--rounds", "1", "--seed", "5"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("starting 2 ranks"), qPrintable(r.err));
    QVERIFY2(r.out.contains("best validation mIoU@5"), qPrintable(r.out)); // rank 0 reports, once
    QCOMPARE(r.out.count("best validation"), 1);
    QFile metrics(out + "/metrics.csv");
    QVERIFY(metrics.open(QIODevice::ReadOnly));
    QCOMPARE(metrics.readAll().count('\n'), 2); // header + one epoch, written by rank 0 alone
    QVERIFY(QFile::exists(out + "/best.safetensors") && QFile::exists(out + "/cases.safetensors"));

    // A batch the ranks cannot share equally is refused by every rank, with a clear message.
    const auto odd = cli({"train", "--cache", out + "/cases.safetensors", "--out", scratch_.filePath("odd"), "--nproc", "2", "--batch",
                          "3", "--epochs", "1", "--steps-per-epoch", "1"});
    QVERIFY(odd.exitCode != 0);
    QVERIFY2(odd.err.contains("multiple of the number of processes"), qPrintable(odd.err));
  }

  void train_kmunet_writes_weights_that_segment_uses() {
    const QString data = writeDiscPngs("kmunet-discs"), out = scratch_.filePath("kmunet-run");
    const auto r = cli({"train", "--model", "kmunet", "--data", data, "--out", out, "--epochs", "1", "--steps-per-epoch", "2", "--batch",
                        "2", "--val-fraction", "0.25", "--seed", "5", "--threads", "1"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("best validation IoU (no clicks)"), qPrintable(r.out));
    const QString mask = scratch_.filePath("kmunet-mask.png");
    const auto segment = cli({"segment", data + "/images/case3.png", "--model", "kmunet", "--weights", out + "/best.safetensors", "--out", mask});
    QVERIFY2(segment.exitCode == 0, qPrintable(segment.err));
    QCOMPARE(QImage(mask).size(), QSize(64, 56)); // the image's geometry
  }

  void train_kanunet_on_brats_slices_writes_weights_that_segment_a_volume() {
    const QString brats = QString(MEDCLICK_SHARED_DATA) + "/brats";
    if (!QFileInfo::exists(brats)) QSKIP("../shared/data is not beside this checkout");
    // Two of the four cases (one trains, one validates) keep the test short; each 155-slice volume is
    // still decoded, cut into slices and segmented whole, so the processes get 10 minutes each.
    QDir().mkpath(scratch_.filePath("brats2/imagesTr"));
    QDir().mkpath(scratch_.filePath("brats2/labelsTr"));
    for (const QString patient : {"0004", "0005"}) {
      const QString name = "brats_2013_pat" + patient + "_1";
      for (const QString file : {"imagesTr/" + name + "_0000.nii.gz", "imagesTr/" + name + "_0001.nii.gz", "labelsTr/" + name + ".nii.gz"})
        QVERIFY(QFile::link(brats + "/" + file, scratch_.filePath("brats2/" + file)));
    }
    const auto slow = [](const QStringList& arguments) { return test::runProcess(MEDCLICK_CLI, arguments, 600000); };
    const QString out = scratch_.filePath("kanunet-run");
    const auto r = slow({"train", "--model", "kanunet", "--data", scratch_.filePath("brats2"), "--out", out, "--epochs", "1",
                         "--steps-per-epoch", "2", "--gamma", "1.2,1.5", "--val-limit", "4", "--threads", "1"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("BraTS regions (WT, TC, ET)"), qPrintable(r.err));
    QVERIFY2(r.out.contains("best validation mean Dice"), qPrintable(r.out));
    const QString mask = scratch_.filePath("kanunet-mask.nii.gz");
    const auto segment = slow({"segment", brats + "/imagesTr/brats_2013_pat0004_1_0000.nii.gz", "--model", "kanunet", "--weights",
                               out + "/best.safetensors", "--out", mask});
    QVERIFY2(segment.exitCode == 0, qPrintable(segment.err));
    QVERIFY2(segment.out.contains("155 slice(s) of 2 modality(ies)"), qPrintable(segment.out));
    // A gamma per modality, or none: three for two modalities is refused before any training.
    const auto wrong = cli({"train", "--model", "kanunet", "--cache", out + "/cases.safetensors", "--out", scratch_.filePath("kanunet-wrong"),
                            "--epochs", "1", "--gamma", "1,1,1"});
    QCOMPARE(wrong.exitCode, 1);
    QVERIFY2(wrong.err.contains("3 gamma values for 2 modalities"), qPrintable(wrong.err));
  }

  void version_names_the_blas_in_use() {
    const Result r = cli({"--version"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("BLAS: "), qPrintable(r.out));
    QVERIFY(r.out.contains("LibTorch "));
    QVERIFY(r.out.contains("ITK 5."));
  }

  void help_on_every_subcommand() {
    QCOMPARE(cli({"--help"}).exitCode, 0);
    for (const QString command : {"info", "convert"}) {
      const Result r = cli({command, "--help"});
      QCOMPARE(r.exitCode, 0);
      QVERIFY2(r.out.contains("--verbose"), qPrintable(r.out));
    }
  }

  void usage_errors_exit_with_1_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("reason");
    const QStringList train{"train", "--data", "no-such-folder", "--out", "no-such-out"};
    QTest::newRow("no command") << QStringList{} << "usage";
    QTest::newRow("unknown command") << QStringList{"segmentate"} << "unknown command 'segmentate'";
    QTest::newRow("missing argument") << QStringList{"info"} << "expects 1 argument";
    QTest::newRow("unknown option") << QStringList{"convert", "--no-such-option", "a", "b"} << "unknown option 'no-such-option'";
    QTest::newRow("share") << train + QStringList{"--automatic-start", "1.5"} << "--automatic-start expects a share between 0 and 1";
    QTest::newRow("milestones") << train + QStringList{"--model", "kmunet", "--milestones", "3"} << "apply to --model ikan";
    QTest::newRow("rate") << train + QStringList{"--lr", "-1"} << "--lr expects a learning rate between 0 and 1";
    QTest::newRow("rate for kmunet") << train + QStringList{"--model", "kmunet", "--lr", "1e-4"} << "--lr applies to --model ikan or caiseg";
    QTest::newRow("label targets") << train + QStringList{"--model", "ikan", "--label-targets"} << "--label-targets applies to --model caiseg";
    QTest::newRow("transfer") << train + QStringList{"--model", "ikan", "--transfer", "w.safetensors"}
                              << "--transfer applies to --model kmunet or kanunet";
    QTest::newRow("transfer and init") << train + QStringList{"--model", "kmunet", "--transfer", "a.safetensors", "--init", "b.safetensors"}
                                       << "not both";
  }
  void usage_errors_exit_with_1() {
    QFETCH(QStringList, arguments);
    QFETCH(QString, reason);
    const Result r = cli(arguments);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(reason, Qt::CaseInsensitive), qPrintable(r.err));
  }

  void info_prints_the_geometry() {
    const Image image = testing::rampImage(testing::obliqueGeometry3d(), PixelType::Int16);
    writeImage(image, file("oblique.nii.gz").toStdString());
    const Result text = cli({"info", file("oblique.nii.gz")});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("size:       7 6 5"), qPrintable(text.out));
    QVERIFY2(text.out.contains("spacing:    0.7 1.3 2.9"), qPrintable(text.out));
    QVERIFY2(text.out.contains("origin:     -12.5 33.25 7"), qPrintable(text.out));
    QVERIFY2(text.out.contains("pixel type: int16"), qPrintable(text.out));

    const Result json = cli({"info", "--json", file("oblique.nii.gz")});
    QCOMPARE(json.exitCode, 0);
    const QJsonObject object = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(object["dimension"].toInt(), 3);
    const QJsonArray direction = object["direction"].toArray();
    QCOMPARE(direction.size(), 9);
    for (int e = 0; e < 9; ++e) QVERIFY(std::abs(direction[e].toDouble() - image.geometry().direction[e]) < 1e-5);
    const auto stats = image.statistics();
    QVERIFY(std::abs(object["mean"].toDouble() - stats.mean) < 1e-4);
    QCOMPARE(object["maximum"].toDouble(), stats.maximum);
  }

  void convert_keeps_geometry_and_nibabel_agrees() {
    const ImageGeometry geometry = testing::obliqueGeometry3d();
    writeImage(testing::rampImage(geometry, PixelType::Float32), file("source.nrrd").toStdString());
    QCOMPARE(cli({"convert", file("source.nrrd"), file("converted.nii.gz")}).exitCode, 0);
    const Result before = cli({"info", "--json", file("source.nrrd")});
    const Result after = cli({"info", "--json", file("converted.nii.gz")});
    QJsonObject a = QJsonDocument::fromJson(before.out.toUtf8()).object();
    QJsonObject b = QJsonDocument::fromJson(after.out.toUtf8()).object();
    for (const QString key : {"size", "pixel_type", "minimum", "maximum", "mean"}) QCOMPARE(a[key], b[key]);
    for (const QString key : {"spacing", "origin", "direction"})
      for (int i = 0; i < a[key].toArray().size(); ++i)
        QVERIFY(std::abs(a[key].toArray()[i].toDouble() - b[key].toArray()[i].toDouble()) < 1e-5);

    if (QString(MEDCLICK_SYSTEM_PYTHON).isEmpty()) QFAIL("python3 with nibabel is not installed (scripts/install-deps.sh)");
    QStringList arguments{QString(MEDCLICK_TEST_SCRIPTS) + "/check_nifti_affine.py", file("converted.nii.gz"), "1e-5", "7", "6", "5"};
    arguments << expectedRasAffine(geometry);
    const Result nibabel = run(MEDCLICK_SYSTEM_PYTHON, arguments);
    QVERIFY2(nibabel.exitCode == 0, qPrintable(nibabel.out + nibabel.err));
  }

  void dicom_series_converts_like_dcm2niix() {
    const QString series = sharedData("dicom-sag-t1/series");
    if (!fs::exists(series.toStdString())) QSKIP("../shared/data is not beside this checkout");
    if (QString(MEDCLICK_DCM2NIIX).isEmpty()) QFAIL("dcm2niix is not installed (scripts/install-deps.sh)");
    QCOMPARE(cli({"convert", series, file("medclick_t1.nii.gz")}).exitCode, 0);
    QDir().mkpath(file("dcm2niix"));
    const Result converted = run(MEDCLICK_DCM2NIIX, {"-z", "n", "-b", "n", "-f", "reference", "-o", file("dcm2niix"), series});
    QVERIFY2(converted.exitCode == 0, qPrintable(converted.out + converted.err));
    const Result compared = run(MEDCLICK_SYSTEM_PYTHON, {QString(MEDCLICK_TEST_SCRIPTS) + "/compare_with_dcm2niix.py",
                                                         file("medclick_t1.nii.gz"), file("dcm2niix/reference.nii")});
    QVERIFY2(compared.exitCode == 0, qPrintable(compared.out + compared.err));
  }

  void real_files_info() {
    const QString volume = sharedData("lesions-nrrd/breast1_image.nrrd");
    if (!fs::exists(volume.toStdString())) QSKIP("../shared/data is not beside this checkout");
    const Result r = cli({"info", volume});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("dimension:  3"));
    const Result hc = cli({"info", sharedData("hc18/images/001_HC.png")});
    QCOMPARE(hc.exitCode, 0);
    QVERIFY2(hc.out.contains("size:       800 540"), qPrintable(hc.out));
  }

  void segment_without_weights_says_so_and_writes_nothing() {
    const Result r = run(MEDCLICK_CLI, {"segment", sharedData("hc18/images/001_HC.png"), "--click", "400,270,+", "--out", file("never.png")});
    // The bundled-weights search may find trained weights once they ship; then it must succeed.
    if (r.exitCode == 0) {
      QVERIFY(fs::exists(file("never.png").toStdString()));
      return;
    }
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("no trained ikan weights are installed"), qPrintable(r.err));
    QVERIFY(!fs::exists(file("never.png").toStdString()));
  }

  void segment_with_weights_writes_a_mask_on_the_image_grid() {
    // Weights of the small variant in a real safetensors file (untrained: this checks the plumbing
    // from clicks to a geometry-true mask, not segmentation quality).
    const QString weights = file("ikan_small.safetensors");
    const Result made = run(MEDCLICK_TORCH_WEIGHTS_WRITER, {weights});
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    const ImageGeometry geometry = testing::obliqueGeometry2d(90, 60);
    writeImage(testing::rampImage(geometry, PixelType::UInt8), file("slice.nii.gz").toStdString());
    const Result r = cli({"segment", file("slice.nii.gz"), "--weights", weights, "--device", "cpu", "--click", "40,30,+", "--click",
                          "80,10,-", "--out", file("mask.nii.gz"), "--prob", file("prob.nrrd")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("2 click(s)"), qPrintable(r.out));
    const Result mask = cli({"info", "--json", file("mask.nii.gz")});
    const QJsonObject m = QJsonDocument::fromJson(mask.out.toUtf8()).object();
    QCOMPARE(m["pixel_type"].toString(), QString("uint8"));
    QCOMPARE(m["size"].toArray()[0].toInt(), 90);
    QVERIFY(std::abs(m["spacing"].toArray()[0].toDouble() - geometry.spacing[0]) < 1e-5);
    QVERIFY(std::abs(m["origin"].toArray()[1].toDouble() - geometry.origin[1]) < 1e-5);
    QVERIFY(m["maximum"].toDouble() <= 1.0);
    const QJsonObject p = QJsonDocument::fromJson(cli({"info", "--json", file("prob.nrrd")}).out.toUtf8()).object();
    QCOMPARE(p["pixel_type"].toString(), QString("float32"));
    QVERIFY(p["minimum"].toDouble() >= 0.0 && p["maximum"].toDouble() <= 1.0);
  }

  void segment_small_objects_zooms_in_from_the_first_click() {
    const QString weights = file("ikan_small_objects.safetensors");
    const Result made = run(MEDCLICK_TORCH_WEIGHTS_WRITER, {weights});
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    writeImage(testing::rampImage(testing::obliqueGeometry2d(90, 60), PixelType::UInt8), file("small.nii.gz").toStdString());
    const auto positivePixels = [&](const QStringList& extra, int& x0, int& y0, int& x1, int& y1) {
      const Result r = cli(QStringList{"segment", file("small.nii.gz"), "--weights", weights, "--device", "cpu", "--click", "40,30,+",
                                       "--out", file("small_mask.nii.gz"), "--prob", file("small_prob.nrrd")} + extra);
      if (r.exitCode != 0) qWarning("%s", qPrintable(r.err));
      const Image probability = readImage(file("small_prob.nrrd").toStdString());
      int count = 0;
      x0 = y0 = 1000, x1 = y1 = -1;
      for (int y = 0; y < 60; ++y)
        for (int x = 0; x < 90; ++x)
          if (probability.voxels()[static_cast<std::size_t>(y * 90 + x)] > 0.0f) {
            ++count;
            x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
          }
      return count;
    };
    int x0, y0, x1, y1;
    // The default's first click sees the whole image: a sigmoid is above 0 everywhere.
    QCOMPARE(positivePixels({}, x0, y0, x1, y1), 90 * 60);
    // Small structures: a crop of 0.15 × 60 = 9 px about the click (40, 30), columns 36..45 and rows
    // 26..35 (rounded half away from zero); outside it the probability is 0.
    QCOMPARE(positivePixels({"--small-objects"}, x0, y0, x1, y1), 100);
    QCOMPARE(QList<int>({x0, y0, x1, y1}), QList<int>({36, 26, 45, 35}));
    const Result bad = cli({"segment", file("small.nii.gz"), "--weights", weights, "--small-objects", "--no-zoom", "--click", "40,30,+",
                            "--out", file("x.nii.gz")});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("drop --no-zoom"), qPrintable(bad.err));
  }

  void segment_into_a_label_map_keeps_its_other_labels() {
    const ImageGeometry geometry = testing::obliqueGeometry2d(90, 60);
    writeImage(testing::rampImage(geometry, PixelType::UInt8), file("into.nii.gz").toStdString());
    const QStringList clicks{"--model", "classic", "--click", "40,30,+", "--click", "80,10,-"};
    // The segment alone, as label 5: what --into must place, except where label 2 lies.
    Result r = cli(QStringList{"segment", file("into.nii.gz")} + clicks + QStringList{"--label", "5", "--out", file("alone.nii.gz")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const LabelMask alone = readMask(file("alone.nii.gz").toStdString());
    QCOMPARE(alone.maximumLabel(), Label(5));
    QVERIFY(alone.countNonZero() > 20);
    LabelMask map(geometry);
    for (std::size_t v = 0; v < map.labels().size(); v += 3) map.labels()[v] = 2; // a structure everywhere, every third pixel
    map.labels()[1] = 5;                                                          // an old voxel of label 5 outside the new segment
    QCOMPARE(alone.labels()[1], Label(0));
    writeLabelMap(map, {Segment{2, "Liver", {1, 2, 3}, 1.0, true, true, false}, Segment{5, "Lesion", {4, 5, 6}, 1.0, true, true, false}},
                  file("map.nii.gz").toStdString());
    r = cli(QStringList{"segment", file("into.nii.gz")} + clicks +
            QStringList{"--label", "5", "--into", file("map.nii.gz"), "--out", file("map.nii.gz")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const LabelMapFile merged = readLabelMap(file("map.nii.gz").toStdString());
    for (std::size_t v = 0; v < map.labels().size(); ++v) {
      const Label expected = map.labels()[v] == 2 ? Label(2) : alone.labels()[v];
      QVERIFY2(merged.labels.labels()[v] == expected, qPrintable(QString("pixel %1").arg(v)));
    }
    QCOMPARE(merged.segments.size(), std::size_t(2));
    QCOMPARE(merged.segments[0].name, std::string("Liver"));
    QCOMPARE(merged.segments[1].name, std::string("Lesion"));
    // A map on another grid, and label 0, are refused.
    writeLabelMap(LabelMask(testing::obliqueGeometry2d(30, 20)), {}, file("small.nii.gz").toStdString());
    r = cli(QStringList{"segment", file("into.nii.gz")} + clicks + QStringList{"--into", file("small.nii.gz"), "--out", file("x.nii.gz")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("grid"), qPrintable(r.err));
    r = cli(QStringList{"segment", file("into.nii.gz")} + clicks + QStringList{"--label", "0", "--out", file("x.nii.gz")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("--label must be"), qPrintable(r.err));
  }

  void convert_a_label_map_to_dicom_seg_of_its_series() {
    const QString series = sharedData("dicom-sag-t1/series");
    const Image image = readImage(series.toStdString());
    LabelMask map(image.geometry());
    for (std::size_t v = 40000; v < 40200; ++v) map.labels()[v] = 3;
    writeLabelMap(map, {Segment{3, "Lesion", {0, 0, 255}, 1.0, true, true, false}}, file("drawn.seg.nrrd").toStdString());
    Result r = cli({"convert", file("drawn.seg.nrrd"), "--to", "dicom-seg", "--reference", series, file("drawn.dcm")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(QFileInfo(file("drawn.dcm")).size() > 1000);
    r = cli({"convert", file("drawn.seg.nrrd"), "--to", "dicom-seg", file("x.dcm")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("needs --reference"), qPrintable(r.err));
    QDir().mkpath(file("not-dicom"));
    r = cli({"convert", file("drawn.seg.nrrd"), "--to", "dicom-seg", "--reference", file("not-dicom"), file("x.dcm")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("no DICOM series"), qPrintable(r.err));
    r = cli({"convert", file("drawn.seg.nrrd"), "--to", "rtstruct", "--reference", series, file("x.dcm")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("--to knows one format"), qPrintable(r.err));
  }

  void segment_refuses_bad_clicks_and_bad_weights() {
    const QString image = sharedData("hc18/images/001_HC.png");
    if (!fs::exists(image.toStdString())) QSKIP("../shared/data is not beside this checkout");
    Result r = cli({"segment", image, "--weights", file("x"), "--click", "900,10,+", "--out", file("m.png")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("lies outside the image (800x540)"), qPrintable(r.err));
    r = cli({"segment", image, "--weights", file("x"), "--click", "10;10;+", "--out", file("m.png")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("--click expects X,Y,+ or X,Y,-"), qPrintable(r.err));
    QFile corrupt(file("corrupt.safetensors"));
    QVERIFY(corrupt.open(QIODevice::WriteOnly));
    corrupt.write("\x0a\x00\x00\x00\x00\x00\x00\x00{not json}", 18);
    corrupt.close();
    r = cli({"segment", image, "--weights", file("corrupt.safetensors"), "--click", "10,10,+", "--out", file("m.png")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("corrupt safetensors header"), qPrintable(r.err));
  }

  void bench_prints_one_json_object_per_variant() {
    const Result r = cli({"bench", "--variant", "small", "--size", "64", "--repeat", "2", "--device", "cpu", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.trimmed().toUtf8()).object();
    for (const QString key : {"model", "variant", "device", "size", "params", "gflops", "median_ms", "p90_ms"}) QVERIFY2(o.contains(key), qPrintable(key));
    QCOMPARE(o["variant"].toString(), QString("small"));
    QVERIFY(o["params"].toDouble() > 1e6 && o["gflops"].toDouble() > 0.0 && o["median_ms"].toDouble() > 0.0);
    QCOMPARE(cli({"bench", "--size", "100"}).exitCode, 1);
    const Result automatic = cli({"bench", "--model", "kmunet", "--variant", "small", "--size", "64", "--repeat", "1", "--device", "cpu", "--json"});
    QVERIFY2(automatic.exitCode == 0, qPrintable(automatic.err));
    const QJsonObject k = QJsonDocument::fromJson(automatic.out.trimmed().toUtf8()).object();
    QCOMPARE(k["model"].toString(), QString("kmunet"));
    QVERIFY(k["params"].toDouble() > 1e6 && k["median_ms"].toDouble() > 0.0);
    QCOMPARE(cli({"bench", "--model", "kanunet", "--train"}).exitCode, 1);
  }

  void bench_times_the_clicked_objects_on_two_grids() {
    const Result r = cli({"bench", "--model", "clicked-objects", "--repeat", "1", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const QJsonObject small = QJsonDocument::fromJson(lines[0].toUtf8()).object(), large = QJsonDocument::fromJson(lines[1].toUtf8()).object();
    QCOMPARE(small["grid"].toArray(), (QJsonArray{240, 240, 155}));
    QCOMPARE(large["grid"].toArray(), (QJsonArray{512, 512, 300}));
    // The false alarms are removed on both grids; the lesion (and the alarms touching it) stays.
    QVERIFY(small["voxels_removed"].toInt() > 3000 && large["voxels_removed"].toInt() > small["voxels_removed"].toInt());
    QVERIFY(small["ms"].toDouble() > 0.0 && large["ms"].toDouble() > 0.0);
  }

  void evaluate_classic_writes_the_report_for_real_cases() {
    const QString busi = sharedData("busi");
    if (!fs::exists(busi.toStdString())) QSKIP("../shared/data is not beside this checkout");
    const Result r = cli({"evaluate", "--model", "classic", "--data", busi, "--limit", "3", "--seed", "1", "--max-clicks", "8", "--out", file("eval")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("NoC@85"), qPrintable(r.out));
    QFile summary(file("eval/summary.json"));
    QVERIFY(summary.open(QIODevice::ReadOnly));
    const QJsonObject o = QJsonDocument::fromJson(summary.readAll()).object();
    for (const QString key : {"noc80", "noc85", "noc90", "miou_per_click", "cases", "ms_per_click"}) QVERIFY2(o.contains(key), qPrintable(key));
    QCOMPARE(o["cases"].toInt(), 3);
    QCOMPARE(o["miou_per_click"].toArray().size(), 8);
    for (const QString key : {"noc80", "noc85", "noc90"}) QVERIFY(o[key].toDouble() >= 1.0 && o[key].toDouble() <= 8.0);
    QVERIFY(fs::exists(file("eval/per_case.csv").toStdString()));
    QVERIFY(fs::exists(file("eval/iou_vs_clicks.png").toStdString()));
    const Result compared = cli({"evaluate", "--compare", file("eval/summary.json"), "--compare", file("eval/summary.json"), "--out", file("both.png")});
    QVERIFY2(compared.exitCode == 0, qPrintable(compared.err));
    QVERIFY(fs::exists(file("both.png").toStdString()));
  }

  void evaluate_per_object_scores_every_fluid_pocket_of_oct() {
    const QString oct = sharedData("oct-dme");
    if (!fs::exists(oct.toStdString())) QSKIP("../shared/data is not beside this checkout");
    const Result r = cli({"evaluate", "--model", "classic", "--data", oct, "--limit", "2", "--seed", "3", "--max-clicks", "3", "--per-object",
                          "--min-object-pixels", "30", "--out", file("objects")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("per-object protocol"), qPrintable(r.out));
    QFile summary(file("objects/summary.json"));
    QVERIFY(summary.open(QIODevice::ReadOnly));
    const QJsonObject o = QJsonDocument::fromJson(summary.readAll()).object();
    QCOMPARE(o["protocol"].toString(), QString("per-object"));
    QVERIFY(o["images"].toInt() >= 1 && o["images"].toInt() <= 2);
    QVERIFY2(o["cases"].toInt() >= o["images"].toInt(), "at least one object per image"); // DME B-scans hold several pockets
    QFile perCase(file("objects/per_case.csv"));
    QVERIFY(perCase.open(QIODevice::ReadOnly));
    const QStringList rows = QString::fromUtf8(perCase.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(rows.size(), 1 + o["cases"].toInt());
    for (int row = 1; row < rows.size(); ++row) QVERIFY2(rows[row].contains('#'), qPrintable(rows[row]));
    // The whole-mask protocol writes its own name; --per-object refuses what it cannot mean.
    QVERIFY(cli({"evaluate", "--model", "classic", "--data", oct, "--limit", "1", "--max-clicks", "1", "--out", file("whole")}).exitCode == 0);
    QFile wholeSummary(file("whole/summary.json"));
    QVERIFY(wholeSummary.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(wholeSummary.readAll()).object()["protocol"].toString(), QString("whole-mask"));
    Result bad = cli({"evaluate", "--model", "classic", "--data", oct, "--per-object", "--init", "kmunet", "--out", file("x")});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("drop --init"), qPrintable(bad.err));
    bad = cli({"evaluate", "--model", "classic", "--data", oct, "--zoom-min-crop", "1.5", "--out", file("x")});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("--zoom-min-crop must be"), qPrintable(bad.err));
    bad = cli({"evaluate", "--model", "classic", "--data", oct, "--zoom-after", "-1", "--out", file("x")});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("--zoom-after must be"), qPrintable(bad.err));
    bad = cli({"evaluate", "--model", "classic", "--data", oct, "--small-objects", "--no-zoom", "--out", file("x")});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("drop --no-zoom"), qPrintable(bad.err));
    bad = cli({"evaluate", "--model", "classic", "--data", oct, "--min-object-pixels", "5", "--out", file("x")});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("goes with --per-object"), qPrintable(bad.err));
  }

  void bad_input_exits_1_with_one_line() {
    const std::string folder = scratch_.path().toStdString();
    const auto q = [](const std::string& s) { return QString::fromStdString(s); };
    const QString empty = q(testing::writeEmptyFile(folder));
    expectBadInput({"info", empty}, empty, "file is empty");
    const QString truncated = q(testing::writeTruncatedNiftiGz(folder));
    expectBadInput({"info", truncated}, truncated, "truncated or corrupt");
    const QString magic = q(testing::writeWrongMagicNifti(folder));
    expectBadInput({"convert", magic, file("out.nii.gz")}, magic, "not a recognised image");
    const QString zero = q(testing::writeNiftiWithDimension(folder, "zero", 0, 0));
    expectBadInput({"info", zero}, zero, "invalid size");
    const QString huge = q(testing::writeNiftiWithDimension(folder, "huge", 2, 30000));
    expectBadInput({"info", huge}, huge, "but the file holds only");
    const QString fourD = q(testing::write4dNifti(folder));
    expectBadInput({"info", fourD}, fourD, "not time series");
    const QString vector = q(testing::writeVectorNifti(folder));
    expectBadInput({"info", vector}, vector, "needs a scalar image");
    expectBadInput({"info", file("absent.nrrd")}, file("absent.nrrd"), "no such file");
    QVERIFY(!fs::exists(file("out.nii.gz").toStdString()));
  }

  void nan_voxels_are_reported_not_fatal() {
    const QString path = QString::fromStdString(testing::writeNiftiWithNonFinite(scratch_.path().toStdString(), 4, 1));
    const Result r = cli({"info", path});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("non-finite: 5 NaN/Inf voxels"), qPrintable(r.out));
    QVERIFY2(r.err.contains("5 NaN/Inf voxels replaced"), qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(CliTest)
#include "cli_test.moc"
