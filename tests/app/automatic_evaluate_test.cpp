// medclick-cli evaluate for the automatic segmenters on real BUSI cases, with untrained small weights
// in real safetensors files (this checks the protocol's plumbing and arithmetic, not segmentation
// quality): Dice/IoU/HD95 per case and their means, --split, the click protocol started from the
// automatic mask (--init), and the one-line errors for weights of another model or no file at all.
// KANU-Net also on the real BraTS volumes, slice by slice with both modalities: volume Dice in mm³.
// The untrained KANU-Net marks most of each image (finite HD95); the untrained KM-UNet's probability
// stays just below the threshold (empty masks: infinite HD95, null in JSON).

#include "support/process_runner.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

using Result = medclick::test::ProcessResult;

Result run(const QString& program, const QStringList& arguments) { return medclick::test::runProcess(program, arguments, 600000); }

Result cli(const QStringList& arguments) { return run(MEDCLICK_CLI, arguments); }

QString busi() { return QString(MEDCLICK_SHARED_DATA) + "/busi"; }

QJsonObject readJson(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(file.readAll()).object();
}

// per_case.csv as rows of fields; the case name (quoted, may hold commas) stays one field.
QList<QStringList> readCsv(const QString& path) {
  QFile file(path);
  QList<QStringList> rows;
  if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) return rows;
  while (!file.atEnd()) {
    QString line = QString::fromUtf8(file.readLine()).trimmed();
    if (line.isEmpty()) continue;
    QStringList fields;
    if (line.startsWith('"')) {
      const int close = line.indexOf('"', 1);
      fields << line.mid(1, close - 1);
      line = line.mid(close + 2);
    } else {
      const int comma = line.indexOf(',');
      fields << line.left(comma);
      line = line.mid(comma + 1);
    }
    fields << line.split(',');
    rows << fields;
  }
  return rows;
}

} // namespace

class AutomaticEvaluateTest : public QObject {
  Q_OBJECT

  QTemporaryDir scratch_;
  QString file(const QString& name) const { return scratch_.filePath(name); }
  QString kmunetWeights_, kanunetWeights_, ikanWeights_;

private slots:
  void initTestCase() {
    if (!fs::exists(busi().toStdString())) QSKIP("../shared/data is not beside this checkout");
    kmunetWeights_ = file("kmunet_small.safetensors");
    kanunetWeights_ = file("kanunet_small.safetensors");
    ikanWeights_ = file("ikan_small.safetensors");
    Result made = run(MEDCLICK_SEGMENTER_WEIGHTS_WRITER, {kmunetWeights_, "kmunet"});
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    made = run(MEDCLICK_SEGMENTER_WEIGHTS_WRITER, {kanunetWeights_, "kanunet"});
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    made = run(MEDCLICK_TORCH_WEIGHTS_WRITER, {ikanWeights_});
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
  }

  void kanunet_evaluates_brats_volumes_slice_by_slice_with_their_modalities() {
    const QString weights = file("kanunet_small_2.safetensors");
    const Result made = run(MEDCLICK_SEGMENTER_WEIGHTS_WRITER, {weights, "kanunet", "2"});
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    const Result r = cli({"evaluate", "--model", "kanunet", "--weights", weights, "--device", "cpu", "--data",
                          QString(MEDCLICK_SHARED_DATA) + "/brats", "--limit", "2", "--seed", "3", "--out", file("brats")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject o = readJson(file("brats/summary.json"));
    QCOMPARE(o["cases"].toInt(), 2);
    const QList<QStringList> rows = readCsv(file("brats/per_case.csv"));
    QCOMPARE(rows.size(), 3);
    for (int i = 1; i < rows.size(); ++i) {
      QVERIFY2(rows[i][0].startsWith("brats/brats_2013_pat000"), qPrintable(rows[i][0]));
      const double d = rows[i][1].toDouble(), j = rows[i][2].toDouble();
      QVERIFY2(d >= 0.0 && d <= 1.0 && std::abs(d - 2.0 * j / (1.0 + j)) < 1e-4, qPrintable(rows[i].join(",")));
    }
  }

  void kanunet_evaluation_writes_dice_iou_and_hd95_per_case_and_their_means() {
    const Result r = cli({"evaluate", "--model", "kanunet", "--weights", kanunetWeights_, "--device", "cpu", "--data", busi(), "--limit",
                          "3", "--seed", "1", "--out", file("auto")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("KANU-Net (small)") && r.out.contains("Dice") && r.out.contains("HD95 mm"), qPrintable(r.out));

    const QJsonObject o = readJson(file("auto/summary.json"));
    for (const QString key : {"model", "cases", "dice", "iou", "hd95_mm", "hd95_finite_cases", "hd95_infinite_cases", "seconds_per_case"})
      QVERIFY2(o.contains(key), qPrintable(key));
    QCOMPARE(o["model"].toString(), QString("KANU-Net (small)"));
    QCOMPARE(o["cases"].toInt(), 3);
    const double dice = o["dice"].toDouble(-1), iou = o["iou"].toDouble(-1);
    QVERIFY2(std::isfinite(dice) && dice > 0.0 && dice <= 1.0, qPrintable(QString::number(dice)));
    QVERIFY2(std::isfinite(iou) && iou > 0.0 && iou <= dice, qPrintable(QString::number(iou))); // IoU <= Dice per case
    QCOMPARE(o["hd95_finite_cases"].toInt(), 3);
    QCOMPARE(o["hd95_infinite_cases"].toInt(), 0);
    // Millimetres of these PNGs are pixels (spacing 1): at most the image's diagonal.
    QVERIFY2(o["hd95_mm"].isDouble() && o["hd95_mm"].toDouble() > 0.0 && o["hd95_mm"].toDouble() < 1000.0,
             qPrintable(QString::number(o["hd95_mm"].toDouble())));

    const QList<QStringList> rows = readCsv(file("auto/per_case.csv"));
    QCOMPARE(rows.size(), 4);
    QCOMPARE(rows[0], QStringList({"case", "dice", "iou", "hd95_mm", "seconds"}));
    double diceSum = 0, hd95Sum = 0;
    for (int i = 1; i < rows.size(); ++i) {
      QCOMPARE(rows[i].size(), 5);
      const double d = rows[i][1].toDouble(), j = rows[i][2].toDouble();
      QVERIFY2(std::abs(d - 2.0 * j / (1.0 + j)) < 1e-4, qPrintable(rows[i].join(","))); // Dice = 2 IoU / (1 + IoU)
      diceSum += d;
      hd95Sum += rows[i][3].toDouble();
      QVERIFY(rows[i][4].toDouble() > 0.0);
    }
    QVERIFY(std::abs(diceSum / 3.0 - dice) < 1e-4);
    QVERIFY(std::abs(hd95Sum / 3.0 - o["hd95_mm"].toDouble()) < 1e-2);
  }

  void empty_predictions_have_infinite_hd95_written_as_null() {
    const Result r = cli({"evaluate", "--model", "kmunet", "--weights", kmunetWeights_, "--device", "cpu", "--data", busi(), "--limit", "2",
                          "--seed", "1", "--out", file("empty")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject o = readJson(file("empty/summary.json"));
    QCOMPARE(o["model"].toString(), QString("KM-UNet (small)"));
    QCOMPARE(o["cases"].toInt(), 2);
    QCOMPARE(o["dice"].toDouble(-1), 0.0);
    QCOMPARE(o["hd95_infinite_cases"].toInt(), 2);
    QCOMPARE(o["hd95_finite_cases"].toInt(), 0);
    QVERIFY(o.contains("hd95_mm") && o["hd95_mm"].isNull()); // JSON has no infinity
    const QList<QStringList> rows = readCsv(file("empty/per_case.csv"));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[1][3], QString("inf"));
  }

  void split_keeps_only_the_validation_cases() {
    const QList<QStringList> all = readCsv(file("auto/per_case.csv"));
    if (all.size() < 2) QSKIP("needs the previous test's per_case.csv");
    std::ofstream(file("split.txt").toStdString()) << "training\tnot/this\nvalidation\t" << all[1][0].toStdString() << "\n";
    const Result r = cli({"evaluate", "--model", "kanunet", "--weights", kanunetWeights_, "--device", "cpu", "--data", busi(), "--split",
                          file("split.txt"), "--out", file("auto-split")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(readJson(file("auto-split/summary.json"))["cases"].toInt(), 1);
    const QList<QStringList> one = readCsv(file("auto-split/per_case.csv"));
    QCOMPARE(one.size(), 2);
    QCOMPARE(one[1][0], all[1][0]);
    QCOMPARE(one[1][1], all[1][1]); // the same Dice: the segmenter is deterministic on the CPU
  }

  void init_starts_the_clicks_from_the_automatic_mask() {
    const Result r = cli({"evaluate", "--model", "ikan", "--weights", ikanWeights_, "--init", "kanunet", "--init-weights", kanunetWeights_,
                          "--device", "cpu", "--data", busi(), "--limit", "3", "--seed", "1", "--max-clicks", "3", "--out", file("init")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("NoC@85") && r.out.contains("mIoU@0"), qPrintable(r.out));
    const QJsonObject o = readJson(file("init/summary.json"));
    QCOMPARE(o["init"].toString(), QString("kanunet"));
    QCOMPARE(o["cases"].toInt(), 3);
    QCOMPARE(o["miou_per_click"].toArray().size(), 3);
    for (const QString key : {"noc80", "noc85", "noc90"}) QVERIFY(o[key].toDouble() >= 0.0 && o[key].toDouble() <= 3.0);

    // IoU@0 of each case is the automatic mask's IoU that the automatic evaluation measured.
    const QList<QStringList> rows = readCsv(file("init/per_case.csv"));
    QCOMPARE(rows.size(), 4);
    QCOMPARE(rows[0].mid(0, 9), QStringList({"case", "noc80", "noc85", "noc90", "seconds", "iou0", "iou1", "iou2", "iou3"}));
    const QList<QStringList> automatic = readCsv(file("auto/per_case.csv"));
    if (automatic.size() != 4) QSKIP("needs the first test's per_case.csv");
    double iou0Sum = 0;
    for (int i = 1; i < rows.size(); ++i) {
      QCOMPARE(rows[i][0], automatic[i][0]); // the same draw of cases (--limit 3 --seed 1)
      QVERIFY2(std::abs(rows[i][5].toDouble() - automatic[i][2].toDouble()) < 1e-4, qPrintable(rows[i].join(",") + " vs " + automatic[i].join(",")));
      QVERIFY(rows[i][5].toDouble() > 0.0);
      iou0Sum += rows[i][5].toDouble();
    }
    QVERIFY(std::abs(o["miou_at_0"].toDouble(-1) - iou0Sum / 3.0) < 1e-4);

    // The plain protocol's summary names no init.
    const Result plain = cli({"evaluate", "--model", "ikan", "--weights", ikanWeights_, "--device", "cpu", "--data", busi(), "--limit", "1",
                              "--max-clicks", "1", "--out", file("plain")});
    QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
    const QJsonObject p = readJson(file("plain/summary.json"));
    QVERIFY(!p.contains("init") && !p.contains("miou_at_0"));
  }

  void wrong_or_missing_weights_exit_1_with_one_line_and_no_report() {
    Result r = cli({"evaluate", "--model", "kmunet", "--weights", ikanWeights_, "--device", "cpu", "--data", busi(), "--out", file("never1")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(ikanWeights_ + ": holds weights of model 'ikan', not KM-UNet"), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count('\n'), 0);
    QVERIFY(!fs::exists(file("never1").toStdString()));

    r = cli({"evaluate", "--model", "ikan", "--weights", ikanWeights_, "--init", "kanunet", "--init-weights", kmunetWeights_, "--device",
             "cpu", "--data", busi(), "--out", file("never2")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(kmunetWeights_ + ": holds weights of model 'kmunet', not KANU-Net"), qPrintable(r.err));
    QVERIFY(!fs::exists(file("never2").toStdString()));

    const QString missing = file("no-such-weights.safetensors");
    r = cli({"evaluate", "--model", "kanunet", "--weights", missing, "--device", "cpu", "--data", busi(), "--out", file("never3")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(missing), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count('\n'), 0);
    QVERIFY(!fs::exists(file("never3").toStdString()));
  }

  void options_of_the_other_protocol_are_refused() {
    Result r = cli({"evaluate", "--model", "kmunet", "--init", "kanunet", "--data", busi(), "--out", file("never")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("--init starts the clicks"), qPrintable(r.err));
    r = cli({"evaluate", "--model", "ikan", "--init", "ikan", "--data", busi(), "--out", file("never")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("--init takes an automatic model"), qPrintable(r.err));
    r = cli({"evaluate", "--model", "ikan", "--init-weights", kmunetWeights_, "--data", busi(), "--out", file("never")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("--init-weights needs --init"), qPrintable(r.err));
    r = cli({"evaluate", "--model", "kanunet", "--max-clicks", "5", "--data", busi(), "--out", file("never")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("--max-clicks does not apply"), qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(AutomaticEvaluateTest)
#include "automatic_evaluate_test.moc"
