// Bad input gets a one-line error naming the file and the reason, before anything absurd is allocated.

#include "io/image_io_error.h"
#include "io/image_reader.h"
#include "support/test_images.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace medclick;

class BadInputTest : public QObject {
  Q_OBJECT

  QTemporaryDir scratch_;
  std::string folder() const { return scratch_.path().toStdString(); }

  static void expectError(const std::string& path, const std::string& reasonPart) {
    try {
      readImage(path);
      QFAIL(qPrintable(QString::fromStdString(path + " was read without error")));
    } catch (const ImageIOError& e) {
      const std::string message = e.what();
      QVERIFY2(message.rfind(path + ": ", 0) == 0, e.what()); // names the file first
      QVERIFY2(message.find(reasonPart) != std::string::npos, e.what());
      QVERIFY2(message.find('\n') == std::string::npos, e.what()); // one line
    }
  }

private slots:
  void missing_file() { expectError(folder() + "/absent.nii.gz", "no such file"); }
  void zero_byte_file() { expectError(testing::writeEmptyFile(folder()), "file is empty"); }
  void truncated_nifti_gz() { expectError(testing::writeTruncatedNiftiGz(folder()), "truncated or corrupt"); }
  void wrong_magic() { expectError(testing::writeWrongMagicNifti(folder()), "not a recognised image"); }
  void zero_dimension() { expectError(testing::writeNiftiWithDimension(folder(), "zero_dim", 1, 0), "invalid size along axis"); }
  void negative_dimension() {
    expectError(testing::writeNiftiWithDimension(folder(), "negative_dim", 2, -4), "invalid size along axis 2 (-4)");
  }
  void declared_size_larger_than_the_file() {
    expectError(testing::writeNiftiWithDimension(folder(), "huge", 2, 30000), "but the file holds only");
  }
  void four_dimensional_image() { expectError(testing::write4dNifti(folder()), "not time series"); }
  void vector_image() { expectError(testing::writeVectorNifti(folder()), "needs a scalar image"); }
  void directory_without_dicom() { expectError(folder(), "no DICOM series"); }

  void nan_and_inf_are_counted_and_read_as_the_minimum() {
    const std::string path = testing::writeNiftiWithNonFinite(folder(), 3, 2);
    const Image image = readImage(path);
    QCOMPARE(image.nonFiniteCount(), std::size_t{5});
    const auto stats = image.statistics();
    QVERIFY(std::isfinite(stats.mean));
    QCOMPARE(image.voxels()[3], static_cast<float>(stats.minimum));
    QCOMPARE(image.voxels()[5], static_cast<float>(stats.minimum));
  }
};

QTEST_GUILESS_MAIN(BadInputTest)
#include "bad_input_test.moc"
