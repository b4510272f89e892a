// Accepted cases: what the GUI's Accept writes must be a dataset fine-tuning finds again, with the
// mask on the image's grid (a volume keeps its spacing and origin), and nothing is written for an
// empty or misplaced mask.

#include "core/data/annotated_cases.h"
#include "core/data/labeled_dataset.h"
#include "io/image_reader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace medclick;

namespace {

ImageGeometry grid(unsigned dimension, std::array<std::size_t, 3> size) {
  ImageGeometry g;
  g.dimension = dimension;
  g.size = size;
  if (dimension == 3) {
    g.spacing = {0.8, 0.8, 2.5};
    g.origin = {-10.0, 4.0, 30.0};
  }
  return g;
}

Image rampImage(const ImageGeometry& g) {
  Image image(g, 1, PixelType::UInt8);
  image.voxels().resize(g.voxelCount());
  for (std::size_t v = 0; v < image.voxels().size(); ++v) image.voxels()[v] = static_cast<float>(v % 200);
  return image;
}

LabelMask boxMask(const ImageGeometry& g) {
  LabelMask mask(g);
  for (std::size_t k = 0; k < g.size[2]; ++k)
    for (std::size_t j = 2; j < 5; ++j)
      for (std::size_t i = 3; i < 7; ++i) mask.labels()[(k * g.size[1] + j) * g.size[0] + i] = 1;
  return mask;
}

} // namespace

class AnnotatedCasesTest : public QObject {
  Q_OBJECT

private slots:
  void accepted_cases_are_a_dataset_fine_tuning_reads_back() {
    QTemporaryDir folder;
    const std::time_t noon = 1'796'000'000;
    const ImageGeometry plane = grid(2, {12, 8, 1});
    const ImageGeometry volume = grid(3, {10, 9, 4});
    const std::string first = addAnnotatedCase(folder.path().toStdString(), rampImage(plane), boxMask(plane), "scan", noon);
    const std::string again = addAnnotatedCase(folder.path().toStdString(), rampImage(plane), boxMask(plane), "scan", noon);
    const std::string third = addAnnotatedCase(folder.path().toStdString(), rampImage(volume), boxMask(volume), "ct", noon);
    QVERIFY(QString::fromStdString(first).startsWith("scan_") && QString::fromStdString(first).endsWith(".png"));
    QCOMPARE(again, first.substr(0, first.size() - 4) + "_2.png"); // the same second: a second name, not an overwrite
    QVERIFY(QString::fromStdString(third).endsWith(".nii.gz"));

    const LabeledDataset dataset = scanLabeledDataset(folder.path().toStdString());
    QCOMPARE(dataset.layout, std::string("images+masks"));
    QCOMPARE(dataset.cases.size(), std::size_t(3));
    for (const LabeledCase& c : dataset.cases) {
      const Image image = readImage(c.imagePath);
      const LabelMask mask = readCaseMask(c, image.geometry());
      QCOMPARE(mask.labels(), boxMask(image.geometry()).labels());
      const bool isVolume = image.geometry().dimension == 3;
      const ImageGeometry& expected = isVolume ? volume : plane;
      QVERIFY(image.geometry().sameGridAs(expected));
      QCOMPARE(image.voxels(), rampImage(expected).voxels());
    }
  }

  void an_empty_or_misplaced_mask_writes_nothing() {
    QTemporaryDir folder;
    const ImageGeometry plane = grid(2, {12, 8, 1});
    const std::string root = folder.path().toStdString();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, addAnnotatedCase(root, rampImage(plane), LabelMask(plane), "scan"));
    QVERIFY_THROWS_EXCEPTION(std::exception, addAnnotatedCase(root, rampImage(plane), boxMask(grid(2, {12, 9, 1})), "scan"));
    QVERIFY(!std::filesystem::exists(std::filesystem::path(root) / "images") ||
            std::filesystem::is_empty(std::filesystem::path(root) / "images"));
  }
};

QTEST_APPLESS_MAIN(AnnotatedCasesTest)
#include "annotated_cases_test.moc"
