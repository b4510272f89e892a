// Label maps on disk with their segments (issue 23): NIfTI and NRRD with an ITK-SNAP label description
// beside them, Slicer's .seg.nrrd with its segment fields in the header, and 2D PNG as an index image
// plus a colour picture; each read back gives the same voxels on the same oblique grid, names and
// colours; uint16 is used only beyond label 255; broken segment headers are refused with a reason.

#include "image/image.h"
#include "io/image_io_error.h"
#include "io/image_reader.h"
#include "io/label_map_file.h"
#include "segments/label_description.h"
#include "support/test_images.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace medclick;

namespace {

Segment named(Label label, const std::string& name, std::array<std::uint8_t, 3> colour) {
  Segment s;
  s.label = label;
  s.name = name;
  s.colour = colour;
  return s;
}

// Labels 1 (a block), 7 (one voxel) and, when `wide`, 300.
LabelMask exampleMap(const ImageGeometry& g, bool wide) {
  LabelMask map(g);
  for (std::size_t k = 1; k < 3; ++k)
    for (std::size_t j = 2; j < 4; ++j)
      for (std::size_t i = 1; i < 5; ++i) map.labels()[(k * g.size[1] + j) * g.size[0] + i] = 1;
  map.labels()[map.labels().size() - 1] = 7;
  if (wide) map.labels()[5] = 300;
  return map;
}

const std::vector<Segment> kSegments{named(1, "Liver", {255, 0, 0}), named(7, "Tumour core", {0, 128, 255}),
                                     named(300, "Vessel \"portal\"", {10, 200, 30})};

void expectSameSegments(const std::vector<Segment>& read, const LabelMask& map) {
  for (const Segment& s : kSegments) {
    if (s.label == 300 && map.maximumLabel() < 300) continue;
    const auto it = std::find_if(read.begin(), read.end(), [&](const Segment& r) { return r.label == s.label; });
    QVERIFY2(it != read.end(), qPrintable(QString("label %1 missing").arg(s.label)));
    QVERIFY(it->colour == s.colour);
    if (s.label != 300) QCOMPARE(it->name, s.name);
  }
}

} // namespace

class LabelMapFileTest : public QObject {
  Q_OBJECT

private slots:
  void nifti_and_nrrd_keep_voxels_grid_names_and_colours() {
    QTemporaryDir dir;
    const ImageGeometry g = testing::obliqueGeometry3d();
    for (const bool wide : {false, true})
      for (const char* name : {"map.nii.gz", "map.nrrd", "map.mha"}) {
        const std::string path = dir.filePath(QString(wide ? "wide_" : "") + name).toStdString();
        const LabelMask map = exampleMap(g, wide);
        writeLabelMap(map, kSegments, path);
        QVERIFY(std::filesystem::is_regular_file(labelDescriptionPathFor(path)));
        // uint8 while every label fits, as most tools expect of a mask; uint16 for label 300.
        QCOMPARE(readImage(path).storedType(), wide ? PixelType::UInt16 : PixelType::UInt8);
        const LabelMapFile read = readLabelMap(path);
        QVERIFY(read.labels.geometry().sameGridAs(g));
        QVERIFY(read.labels.labels() == map.labels());
        expectSameSegments(read.segments, map);
        // A quote cannot sit inside ITK-SNAP's quoted name: it becomes an apostrophe there.
        if (wide) QCOMPARE(std::find_if(read.segments.begin(), read.segments.end(), [](const Segment& s) { return s.label == 300; })->name,
                           std::string("Vessel 'portal'"));
      }
  }

  void slicer_segmentation_carries_its_segment_fields() {
    QTemporaryDir dir;
    const ImageGeometry g = testing::obliqueGeometry3d();
    const std::string path = dir.filePath("case.seg.nrrd").toStdString();
    const LabelMask map = exampleMap(g, false);
    writeLabelMap(map, kSegments, path);
    QVERIFY(!std::filesystem::exists(labelDescriptionPathFor(path))); // the header holds the names
    const std::string bytes = testing::readAll(path);
    const std::string header = bytes.substr(0, bytes.find("\n\n"));
    for (const char* field : {"Segment0_Name:=Liver", "Segment0_LabelValue:=1", "Segment0_Color:=1 0 0", "Segment0_Layer:=0",
                              "Segment0_Extent:=1 4 2 3 1 2", "Segment1_Name:=Tumour core", "Segment1_LabelValue:=7",
                              "Segment1_Color:=0 0.501961 1", "Segment1_Extent:=6 6 5 5 4 4",
                              "Segmentation_MasterRepresentation:=Binary labelmap"})
      QVERIFY2(header.find(field) != std::string::npos, qPrintable(QString::fromStdString(field + std::string("\n") + header)));
    const LabelMapFile read = readLabelMap(path);
    QVERIFY(read.labels.geometry().sameGridAs(g));
    QVERIFY(read.labels.labels() == map.labels());
    expectSameSegments(read.segments, map);
    QCOMPARE(read.segments[0].name, std::string("Liver"));
  }

  void broken_slicer_headers_are_refused() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("case.seg.nrrd").toStdString();
    writeLabelMap(exampleMap(testing::obliqueGeometry3d(), false), kSegments, path);
    const std::string bytes = testing::readAll(path);
    const auto refusedWith = [&](const std::string& from, const std::string& to, const QString& reason) {
      std::string edited = bytes;
      edited.replace(edited.find(from), from.size(), to);
      testing::writeAll(path, edited);
      try {
        readLabelMap(path);
        QFAIL(qPrintable(QString::fromStdString("accepted " + to)));
      } catch (const ImageIOError& e) {
        QVERIFY2(QString(e.what()).contains(reason), e.what());
      }
    };
    refusedWith("Segment1_Layer:=0", "Segment1_Layer:=1", "several layers");
    refusedWith("Segment1_LabelValue:=7", "Segment1_LabelValue:=1", "two segments");
    refusedWith("Segment1_LabelValue:=7", "Segment1_LabelValue:=x", "not a label");
    refusedWith("Segment1_Color:=0 0.501961 1", "Segment1_Color:=blue", "three numbers");
  }

  void png_gives_an_index_image_and_a_colour_picture() {
    QTemporaryDir dir;
    const ImageGeometry g = testing::obliqueGeometry2d(9, 7);
    LabelMask map(g);
    map.labels()[3] = 1;
    map.labels()[10] = 7;
    const std::string path = dir.filePath("slice.png").toStdString();
    writeLabelMap(map, kSegments, path);
    const Image index = readImage(path);
    QCOMPARE(index.at(3, 0), 1.0f); // label values, not 0/255: two segments
    QCOMPARE(index.at(1, 1), 7.0f);
    const Image colour = readImage(colourPicturePathFor(path));
    QVERIFY(colour.isRgb());
    QCOMPARE(colour.at(1, 1, 0, 0), 0.0f);
    QCOMPARE(colour.at(1, 1, 0, 1), 128.0f);
    QCOMPARE(colour.at(1, 1, 0, 2), 255.0f);
    QCOMPARE(colour.at(0, 0, 0, 0), 0.0f); // background black
    const LabelMapFile read = readLabelMap(path);
    QVERIFY(read.labels.labels() == map.labels());
    expectSameSegments(read.segments, map);
  }

  void a_map_without_description_gets_default_segments() {
    QTemporaryDir dir;
    const ImageGeometry g = testing::obliqueGeometry3d();
    const std::string path = dir.filePath("bare.nii.gz").toStdString();
    writeLabelMap(exampleMap(g, true), {}, path);
    std::filesystem::remove(labelDescriptionPathFor(path));
    const LabelMapFile read = readLabelMap(path);
    QCOMPARE(read.segments.size(), std::size_t(3));
    QCOMPARE(read.segments[2].label, Label(300));
    QCOMPARE(read.segments[2].name, std::string("Segment 300"));
    // A broken description beside a map is an error, not silently default names.
    testing::writeAll(labelDescriptionPathFor(path), "  1 255 0 0 1 1 1 \"unterminated\n");
    QVERIFY_THROWS_EXCEPTION(ImageIOError, readLabelMap(path));
  }

  void description_paths_follow_the_map() {
    QCOMPARE(labelDescriptionPathFor("/d/case.nii.gz"), std::string("/d/case.label.txt"));
    QCOMPARE(labelDescriptionPathFor("/d/case.seg.nrrd"), std::string("/d/case.label.txt"));
    QCOMPARE(labelDescriptionPathFor("/d/a.mask.nii.gz"), std::string("/d/a.mask.label.txt"));
    QCOMPARE(colourPicturePathFor("/d/x.png"), std::string("/d/x.colour.png"));
  }
};

QTEST_GUILESS_MAIN(LabelMapFileTest)
#include "label_map_file_test.moc"
