// Geometry-true image I/O: round trips through every format with anisotropic spacing, a non-zero
// origin and an oblique direction; masks; real files from ../shared/data.

#include "io/dicom_series_reader.h"
#include "io/image_io_error.h"
#include "io/image_reader.h"
#include "io/image_writer.h"
#include "io/mask_reader.h"
#include "support/test_images.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>

using namespace medclick;
namespace fs = std::filesystem;

namespace {

void compareGeometry(const ImageGeometry& actual, const ImageGeometry& expected, double tolerance = 1e-5) {
  QCOMPARE(actual.dimension, expected.dimension);
  for (int a = 0; a < 3; ++a) {
    QCOMPARE(actual.size[a], expected.size[a]);
    QVERIFY2(std::abs(actual.spacing[a] - expected.spacing[a]) < tolerance, qPrintable(QString::fromStdString(actual.describe())));
    QVERIFY2(std::abs(actual.origin[a] - expected.origin[a]) < tolerance, qPrintable(QString::fromStdString(actual.describe())));
  }
  for (int e = 0; e < 9; ++e)
    QVERIFY2(std::abs(actual.direction[e] - expected.direction[e]) < tolerance,
             qPrintable(QString::fromStdString(actual.describe() + " vs " + expected.describe())));
}

std::string sharedData(const std::string& relative) { return std::string(MEDCLICK_SHARED_DATA) + "/" + relative; }

} // namespace

class ImageIoTest : public QObject {
  Q_OBJECT

  QTemporaryDir scratch_;
  std::string file(const std::string& name) const { return scratch_.filePath(QString::fromStdString(name)).toStdString(); }

private slots:
  void volume_round_trip_keeps_geometry_and_values_data() {
    QTest::addColumn<QString>("extension");
    QTest::addColumn<int>("type");
    for (const char* ext : {".nii", ".nii.gz", ".nrrd", ".mha", ".mhd"}) {
      QTest::newRow((std::string(ext) + " int16").c_str()) << ext << static_cast<int>(PixelType::Int16);
      QTest::newRow((std::string(ext) + " float32").c_str()) << ext << static_cast<int>(PixelType::Float32);
      QTest::newRow((std::string(ext) + " uint8").c_str()) << ext << static_cast<int>(PixelType::UInt8);
    }
  }
  void volume_round_trip_keeps_geometry_and_values() {
    QFETCH(QString, extension);
    QFETCH(int, type);
    const Image original = testing::rampImage(testing::obliqueGeometry3d(), static_cast<PixelType>(type));
    const std::string path = file("volume_" + std::to_string(type) + extension.toStdString());
    writeImage(original, path);
    const Image read = readImage(path);
    compareGeometry(read.geometry(), original.geometry());
    QCOMPARE(read.storedType(), original.storedType());
    QVERIFY(read.voxels() == original.voxels());
  }

  void slice_round_trip_through_2d_formats_data() {
    QTest::addColumn<QString>("extension");
    QTest::addColumn<bool>("keepsGeometry");
    QTest::addColumn<double>("tolerance");
    QTest::newRow("png") << ".png" << false << 0.0;
    QTest::newRow("bmp") << ".bmp" << false << 0.0;
    QTest::newRow("tif") << ".tif" << false << 0.0;
    QTest::newRow("jpg (lossy)") << ".jpg" << false << 12.0;
    QTest::newRow("nii") << ".nii.gz" << true << 0.0;
    QTest::newRow("nrrd") << ".nrrd" << true << 0.0;
    QTest::newRow("mha") << ".mha" << true << 0.0;
  }
  void slice_round_trip_through_2d_formats() {
    QFETCH(QString, extension);
    QFETCH(bool, keepsGeometry);
    QFETCH(double, tolerance);
    // Raster formats store no origin or direction; NIfTI/NRRD/MHA must keep an oblique 2D geometry.
    ImageGeometry geometry = testing::obliqueGeometry2d(24, 16);
    if (!keepsGeometry) geometry = ImageGeometry{2, {24, 16, 1}};
    Image original(geometry, 1, PixelType::UInt8);
    for (std::size_t p = 0; p < original.voxels().size(); ++p) original.voxels()[p] = static_cast<float>((p * 37) % 50 + 100);
    const std::string path = file("slice" + extension.toStdString());
    writeImage(original, path);
    const Image read = readImage(path);
    QCOMPARE(read.geometry().dimension, 2u);
    QCOMPARE(read.components(), 1u);
    if (keepsGeometry) compareGeometry(read.geometry(), original.geometry());
    QCOMPARE(read.geometry().size, original.geometry().size);
    double worst = 0;
    for (std::size_t p = 0; p < read.voxels().size(); ++p) worst = std::max(worst, std::abs(double(read.voxels()[p]) - original.voxels()[p]));
    QVERIFY2(worst <= tolerance, qPrintable(QString("largest difference %1").arg(worst)));
  }

  void rgb_png_keeps_three_channels_and_converts_to_luminance() {
    Image rgb(ImageGeometry{2, {5, 4, 1}}, 3, PixelType::UInt8);
    for (std::size_t p = 0; p < 20; ++p) {
      rgb.voxels()[p * 3 + 0] = 200;
      rgb.voxels()[p * 3 + 1] = static_cast<float>(p * 10);
      rgb.voxels()[p * 3 + 2] = 10;
    }
    writeImage(rgb, file("colour.png"));
    const Image read = readImage(file("colour.png"));
    QVERIFY(read.isRgb());
    QCOMPARE(read.at(3, 2, 0, 1), 130.0f); // p = 2 * 5 + 3 = 13
    const Image grey = read.toIntensity();
    QCOMPARE(grey.components(), 1u);
    QVERIFY(std::abs(grey.at(3, 2) - (0.299f * 200 + 0.587f * 130 + 0.114f * 10)) < 1e-3f);
  }

  void formats_that_cannot_hold_the_image_are_refused() {
    const Image volume = testing::rampImage(testing::obliqueGeometry3d(), PixelType::Int16);
    try {
      writeImage(volume, file("volume.png"));
      QFAIL("a 3D image was written as PNG");
    } catch (const ImageIOError& e) {
      QVERIFY(std::string(e.what()).find("2D images only") != std::string::npos);
    }
    const Image floats = testing::rampImage(ImageGeometry{2, {4, 4, 1}}, PixelType::Float32);
    QVERIFY_THROWS_EXCEPTION(ImageIOError, writeImage(floats, file("floats.jpg")));
    QVERIFY_THROWS_EXCEPTION(ImageIOError, writeImage(floats, file("floats.xyz")));
    QVERIFY_THROWS_EXCEPTION(ImageIOError, writeImage(floats, file("no_such_folder/floats.nii.gz")));
    QVERIFY(!fs::exists(file("floats.xyz")));
  }

  void mask_round_trips_as_nifti_png_and_slices() {
    const ImageGeometry geometry = testing::obliqueGeometry3d();
    LabelMask mask(geometry);
    mask.labels()[10] = 1;
    mask.labels()[100] = 1;
    writeMask(mask, file("mask.nii.gz"));
    const LabelMask read = readMaskFor(file("mask.nii.gz"), geometry);
    QVERIFY(read.labels() == mask.labels());
    compareGeometry(read.geometry(), geometry);

    LabelMask flat(ImageGeometry{2, {6, 5, 1}});
    flat.labels()[7] = 1;
    writeMask(flat, file("mask.png"));
    QCOMPARE(readImage(file("mask.png")).at(1, 1), 255.0f); // viewable: 0/255 on disk
    QVERIFY(readMask(file("mask.png")).labels() == flat.labels());

    writeMaskSlices(mask, file("slices"));
    QCOMPARE(QDir(scratch_.filePath("slices")).entryList(QDir::Files).size(), static_cast<int>(geometry.size[2]));
    const LabelMask slice0 = readMask(file("slices/slice_0000.png"));
    QCOMPARE(slice0.geometry().size[0], geometry.size[0]);
    QCOMPARE(slice0.labels()[10], std::uint8_t{1});
  }

  void probability_map_is_written_as_float() {
    Image probability(testing::obliqueGeometry3d(), 1, PixelType::UInt8);
    probability.voxels()[3] = 0.375f;
    writeProbabilityMap(probability, file("probability.nii.gz"));
    const Image read = readImage(file("probability.nii.gz"));
    QCOMPARE(read.storedType(), PixelType::Float32);
    QCOMPARE(read.voxels()[3], 0.375f);
  }

  void mask_on_another_grid_is_refused_with_both_geometries() {
    const ImageGeometry imageGrid = testing::obliqueGeometry3d();
    ImageGeometry otherGrid = imageGrid;
    otherGrid.spacing[2] = 3.0;
    writeMask(LabelMask(otherGrid), file("other_grid.nii.gz"));
    try {
      readMaskFor(file("other_grid.nii.gz"), imageGrid);
      QFAIL("a mask on another grid was accepted");
    } catch (const ImageIOError& e) {
      const std::string message = e.what();
      QVERIFY2(message.find("mask grid differs") != std::string::npos, e.what());
      QVERIFY2(message.find("x3 origin") != std::string::npos, e.what());   // the mask's spacing 2.9 -> 3
      QVERIFY2(message.find("x2.9 origin") != std::string::npos, e.what()); // the image's
    }
  }

  void masks_with_non_label_values_are_refused() {
    Image notAMask = testing::rampImage(testing::obliqueGeometry3d(), PixelType::Float32); // values x.25
    writeImage(notAMask, file("not_a_mask.nii.gz"));
    QVERIFY_THROWS_EXCEPTION(ImageIOError, readMask(file("not_a_mask.nii.gz")));
  }

  void reads_real_brats_volume_and_its_label_on_the_same_grid() {
    const std::string image = sharedData("brats/imagesTr/brats_2013_pat0003_1_0000.nii.gz");
    if (!fs::exists(image)) QSKIP("../shared/data is not beside this checkout");
    const Image flair = readImage(image);
    QCOMPARE(flair.geometry().size, (std::array<std::size_t, 3>{240, 240, 155}));
    QCOMPARE(flair.geometry().spacing[2], 1.0);
    const LabelMask label = readMaskFor(sharedData("brats/labelsTr/brats_2013_pat0003_1.nii.gz"), flair.geometry());
    QVERIFY(label.maximumLabel() >= 2 && label.maximumLabel() <= 4);
    QVERIFY(label.countNonZero() > 1000);
  }

  void reads_anisotropic_nrrd_lesion_and_label() {
    const std::string image = sharedData("lesions-nrrd/brain1_image.nrrd");
    if (!fs::exists(image)) QSKIP("../shared/data is not beside this checkout");
    const Image volume = readImage(image);
    QCOMPARE(volume.storedType(), PixelType::Int16);
    QVERIFY(std::abs(volume.geometry().spacing[0] - 0.78125) < 1e-6);
    QVERIFY(std::abs(volume.geometry().spacing[2] - 6.5) < 1e-6);
    QCOMPARE(volume.geometry().direction[4], -1.0);
    const LabelMask label = readMaskFor(sharedData("lesions-nrrd/brain1_label.nrrd"), volume.geometry());
    QVERIFY(label.countNonZero() > 0);
    // NRRD in, NIfTI out, NIfTI in: the grid survives the change of convention.
    writeImage(volume, file("brain1.nii.gz"));
    compareGeometry(readImage(file("brain1.nii.gz")).geometry(), volume.geometry(), 1e-4);
  }

  void reads_real_dicom_series_with_its_geometry() {
    const std::string folder = sharedData("dicom-sag-t1/series");
    if (!fs::exists(folder)) QSKIP("../shared/data is not beside this checkout");
    const auto series = listDicomSeries(folder);
    QCOMPARE(series.size(), std::size_t{1});
    QCOMPARE(series.front().fileCount, std::size_t{35});
    const Image volume = readImage(folder);
    QCOMPARE(volume.geometry().size, (std::array<std::size_t, 3>{256, 256, 35}));
    QVERIFY(std::abs(volume.geometry().spacing[0] - 1.015625) < 1e-6);
    QVERIFY(std::abs(volume.geometry().spacing[2] - 4.8) < 1e-4);
    // Sagittal: the slice normal (third column) is the patient's left-right axis.
    QVERIFY(std::abs(std::abs(volume.geometry().direction[0 * 3 + 2]) - 1.0) < 1e-6);
    ImageReadOptions options;
    options.dicomSeriesUid = "1.2.3.404";
    QVERIFY_THROWS_EXCEPTION(ImageIOError, readImage(folder, options));
  }

  void reads_real_2d_ultrasound_and_oct() {
    const std::string busi = sharedData("busi/benign/benign (1).png");
    if (!fs::exists(busi)) QSKIP("../shared/data is not beside this checkout");
    const Image ultrasound = readImage(busi);
    QCOMPARE(ultrasound.geometry().dimension, 2u);
    QCOMPARE(ultrasound.storedType(), PixelType::UInt8);
    const LabelMask mask = readMaskFor(sharedData("busi/benign/benign (1)_mask.png"), ultrasound.geometry());
    QCOMPARE(mask.maximumLabel(), std::uint8_t{1});
    const Image oct = readImage(sharedData("oct-dme/images/img_1.png"));
    QCOMPARE(oct.geometry().size, (std::array<std::size_t, 3>{768, 496, 1}));
  }

  void dimension_comes_from_the_header_alone() {
    writeImage(testing::rampImage(testing::obliqueGeometry3d(), PixelType::Int16), file("dims3.nrrd"));
    QCOMPARE(readImageDimension(file("dims3.nrrd")), 3u);
    writeImage(testing::rampImage(ImageGeometry{2, {9, 7, 1}}, PixelType::UInt8), file("dims2.png"));
    QCOMPARE(readImageDimension(file("dims2.png")), 2u);
    // The header is whole, the voxels are not: the header answers, reading the image fails.
    const std::string truncated = testing::writeTruncatedNiftiGz(scratch_.path().toStdString());
    QCOMPARE(readImageDimension(truncated), 3u);
    QVERIFY_THROWS_EXCEPTION(ImageIOError, readImage(truncated));
    QVERIFY_THROWS_EXCEPTION(ImageIOError, readImageDimension(file("no-such-image.nii")));
    const std::string series = sharedData("dicom-sag-t1/series");
    if (fs::exists(series)) QCOMPARE(readImageDimension(series), 3u);
  }
};

QTEST_GUILESS_MAIN(ImageIoTest)
#include "image_io_test.moc"
