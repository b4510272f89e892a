// DICOM SEG export (issue 23) on the shared real DICOM series: the object validates with dicom3tools'
// dciodvfy, dcmdump sees its segments, and pydicom (an independent reader, tests/scripts/
// check_dicom_seg.py) reads back a Segmentation of the series' own study, patient and frame of
// reference whose every frame sits at the Image Position (Patient) of the source slice it references,
// sets the voxels of its segment on that slice, and carries the series' orientation and spacing.
// Maps not drawn on the series, empty maps and folders that are no series are refused.

#include "io/dicom_seg_writer.h"
#include "io/image_io_error.h"
#include "io/image_reader.h"
#include "segments/segment_list.h"
#include "support/process_runner.h"
#include "support/test_images.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace medclick;

namespace {

const std::string kSeries = std::string(MEDCLICK_SHARED_DATA) + "/dicom-sag-t1/series";

// Three segments on the series' grid: a block over five slices, a block over two, and one with no voxels.
LabelMask labelsOn(const ImageGeometry& g) {
  LabelMask map(g);
  for (std::size_t k = 10; k < 15; ++k)
    for (std::size_t j = 100; j < 150; ++j)
      for (std::size_t i = 100; i < 140; ++i) map.labels()[(k * g.size[1] + j) * g.size[0] + i] = 1;
  for (std::size_t k = 20; k < 22; ++k)
    for (std::size_t j = 60; j < 90; ++j)
      for (std::size_t i = 60; i < 80; ++i) map.labels()[(k * g.size[1] + j) * g.size[0] + i] = 4;
  return map;
}

std::vector<Segment> segmentsOf() {
  Segment tumour = SegmentList::makeDefault(1), oedema = SegmentList::makeDefault(4), empty = SegmentList::makeDefault(7);
  tumour.name = "Tumour";
  oedema.name = "Oedema";
  oedema.colour = {0, 255, 0};
  return {tumour, oedema, empty};
}

void expectRefused(const std::function<void()>& write, const QString& reason) {
  try {
    write();
    QFAIL(qPrintable("accepted; expected: " + reason));
  } catch (const ImageIOError& e) {
    QVERIFY2(QString(e.what()).contains(reason), e.what());
  }
}

} // namespace

class DicomSegTest : public QObject {
  Q_OBJECT

private slots:
  void the_segmentation_of_the_shared_series_validates_and_sits_on_its_slices() {
    if (QString(MEDCLICK_SYSTEM_PYTHON).isEmpty() || QString(MEDCLICK_DCIODVFY).isEmpty() || QString(MEDCLICK_DCMDUMP).isEmpty())
      QFAIL("python3-pydicom, dcmtk and dicom3tools are not installed (scripts/install-deps.sh)");
    QTemporaryDir dir;
    const Image series = readImage(kSeries);
    const ImageGeometry& g = series.geometry();
    const LabelMask map = labelsOn(g);
    const std::string path = dir.filePath("seg.dcm").toStdString();
    writeDicomSeg(map, segmentsOf(), {kSeries, ""}, path);

    // dicom3tools checks the Segmentation IOD's modules and attributes; errors start with "Error".
    const auto verified = test::runProcess(MEDCLICK_DCIODVFY, {QString::fromStdString(path)});
    const QString report = verified.out + verified.err;
    QVERIFY2(report.contains("Segmentation"), qPrintable(report));
    QVERIFY2(!report.contains("Error"), qPrintable(report));
    const auto dumped = test::runProcess(MEDCLICK_DCMDUMP, {"+P", "SegmentLabel", "+P", "NumberOfFrames", QString::fromStdString(path)});
    QVERIFY2(dumped.out.contains("[Tumour]") && dumped.out.contains("[Oedema]") && dumped.out.contains("IS [7]"), qPrintable(dumped.out));

    const auto read = test::runProcess(MEDCLICK_SYSTEM_PYTHON, {QString(MEDCLICK_TEST_SCRIPTS) + "/check_dicom_seg.py",
                                                                QString::fromStdString(path), QString::fromStdString(kSeries)});
    QVERIFY2(read.exitCode == 0, qPrintable(read.err));
    const QJsonObject seg = QJsonDocument::fromJson(read.out.toUtf8()).object();
    QCOMPARE(seg["sopClass"].toString(), QString("1.2.840.10008.5.1.4.1.1.66.4")); // Segmentation Storage
    QCOMPARE(seg["segmentationType"].toString(), QString("BINARY"));
    QVERIFY(seg["sameStudy"].toBool() && seg["sameFrameOfReference"].toBool() && seg["samePatient"].toBool() && seg["newSeries"].toBool());
    QCOMPARE(seg["referencedInstances"].toInt(), 35);
    const QJsonArray segments = seg["segments"].toArray();
    QCOMPARE(segments.size(), 2); // the empty segment has no frame, so it is left out
    QCOMPARE(segments[0].toObject()["label"].toString(), QString("Tumour"));
    QCOMPARE(segments[1].toObject()["label"].toString(), QString("Oedema"));
    // Pure red in DICOM's CIELab (L* 53.2, a* 80.1, b* 67.2, scaled to 0..65535).
    const QJsonArray red = segments[0].toObject()["cielab"].toArray();
    QVERIFY2(std::abs(red[0].toInt() / 65535.0 * 100.0 - 53.24) < 0.5, qPrintable(QString::number(red[0].toInt())));
    QVERIFY(red[1].toInt() > 50000 && red[2].toInt() > 45000);

    const QJsonArray frames = seg["frames"].toArray();
    QCOMPARE(frames.size(), 7); // five slices of the tumour, two of the oedema
    const QJsonArray orientation = seg["orientation"].toArray(), spacing = seg["spacing"].toArray();
    int tumourFrames = 0;
    for (const auto& value : frames) {
      const QJsonObject frame = value.toObject();
      for (int a = 0; a < 3; ++a)
        QVERIFY2(std::abs(frame["position"].toArray()[a].toDouble() - frame["sourcePosition"].toArray()[a].toDouble()) < 1e-4,
                 "a frame does not sit on the slice it references");
      for (int a = 0; a < 6; ++a) QVERIFY(std::abs(orientation[a].toDouble() - frame["sourceOrientation"].toArray()[a].toDouble()) < 1e-6);
      for (int a = 0; a < 2; ++a) QVERIFY(std::abs(spacing[a].toDouble() - frame["sourceSpacing"].toArray()[a].toDouble()) < 1e-6);
      // The frame's slice in the label map: where its position lies along the slice normal.
      double along = 0;
      for (int a = 0; a < 3; ++a) along += (frame["position"].toArray()[a].toDouble() - g.origin[a]) * g.direction[a * 3 + 2];
      const long k = std::lround(along / g.spacing[2]);
      const bool tumour = frame["segment"].toInt() == 1;
      tumourFrames += tumour;
      QVERIFY2(tumour ? (k >= 10 && k < 15) : (k >= 20 && k < 22), qPrintable(QString("segment %1 on slice %2").arg(frame["segment"].toInt()).arg(k)));
      QCOMPARE(frame["pixels"].toInt(), tumour ? 40 * 50 : 20 * 30);
    }
    QCOMPARE(tumourFrames, 5);
  }

  void maps_not_drawn_on_the_series_are_refused() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("seg.dcm").toStdString();
    const ImageGeometry g = readImage(kSeries).geometry();
    ImageGeometry shifted = g;
    shifted.origin[0] += 5.0; // same size, a different place
    expectRefused([&] { writeDicomSeg(labelsOn(shifted), segmentsOf(), {kSeries, ""}, path); }, "does not sit on a slice");
    ImageGeometry thinner = g;
    thinner.size[2] = 30;
    expectRefused([&] { writeDicomSeg(LabelMask(thinner), segmentsOf(), {kSeries, ""}, path); }, "was not drawn on it");
    expectRefused([&] { writeDicomSeg(LabelMask(g), segmentsOf(), {kSeries, ""}, path); }, "empty");
    // A folder that holds no DICOM series: the image did not come from DICOM.
    expectRefused([&] { writeDicomSeg(labelsOn(g), segmentsOf(), {dir.path().toStdString(), ""}, path); }, "no DICOM series");
    QVERIFY(!std::filesystem::exists(path));
  }
};

QTEST_GUILESS_MAIN(DicomSegTest)
#include "dicom_seg_test.moc"
