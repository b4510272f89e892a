// curves.png from a training run's metrics.csv: the curves are drawn where the values say, the CSV's
// quirks (a resumed run repeating an epoch, a new run appending to an old file) are read as the
// trainer meant them, and a bad file is refused with its name.

#include "eval/training_curves_plot.h"
#include "io/image_io_error.h"

#include <opencv2/imgcodecs.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace medclick;

namespace {

// Pixels of the loss curve (blue) and of the validation curve (green); grid and text are grey.
bool isLossColour(const cv::Vec3b& bgr) { return bgr[0] > bgr[2] + 80 && bgr[0] > bgr[1] + 40; }
bool isValidationColour(const cv::Vec3b& bgr) { return bgr[1] > bgr[2] + 50 && bgr[1] > bgr[0] + 50; }

struct ColourExtent {
  int count = 0;
  int minX = 1 << 30, maxX = -1, minY = 1 << 30, maxY = -1;
  int xOfTopmost = -1, xOfLowest = -1;
};

ColourExtent extentOf(const cv::Mat& plot, bool (*isColour)(const cv::Vec3b&)) {
  ColourExtent e;
  for (int y = 0; y < plot.rows; ++y)
    for (int x = 0; x < plot.cols; ++x) {
      if (!isColour(plot.at<cv::Vec3b>(y, x))) continue;
      ++e.count;
      e.minX = std::min(e.minX, x);
      e.maxX = std::max(e.maxX, x);
      if (y < e.minY) e.minY = y, e.xOfTopmost = x;
      if (y > e.maxY) e.maxY = y, e.xOfLowest = x;
    }
  return e;
}

} // namespace

class TrainingCurvesTest : public QObject {
  Q_OBJECT
  QTemporaryDir scratch_;

  std::string write(const QString& name, const std::string& text) {
    const std::string path = scratch_.filePath(name).toStdString();
    std::ofstream(path) << text;
    return path;
  }

private slots:
  void curves_are_drawn_where_the_values_say() {
    // Loss peaks at epoch 3 of 5 and is lowest at epoch 5; validation rises to its best at epoch 4.
    const auto csv = write("metrics.csv",
                           "epoch,train_loss,val_miou_at_5_clicks,seconds\n"
                           "1,1.2,0.30,10\n2,1.6,0.45,10\n3,2.0,0.60,10\n4,1.0,0.80,10\n5,0.5,0.70,10\n");
    const auto png = scratch_.filePath("curves.png").toStdString();
    writeTrainingCurvesPlot(csv, png);
    const cv::Mat plot = cv::imread(png, cv::IMREAD_COLOR);
    QCOMPARE(plot.cols, 800);
    QCOMPARE(plot.rows, 600);

    const auto loss = extentOf(plot, isLossColour), validation = extentOf(plot, isValidationColour);
    QVERIFY(loss.count > 200 && validation.count > 200);
    QVERIFY(loss.maxY < validation.minY); // two panels: loss above, validation below
    const int lossMiddle = (loss.minX + loss.maxX) / 2;
    QVERIFY2(std::abs(loss.xOfTopmost - lossMiddle) <= 8, "the highest loss is drawn at epoch 3, the middle");
    QVERIFY2(loss.maxX - loss.xOfLowest <= 8, "the lowest loss is drawn at epoch 5, the right end");
    const int step = (validation.maxX - validation.minX) / 4;
    QVERIFY2(std::abs(validation.xOfTopmost - (validation.minX + 3 * step)) <= 8, "the best validation is drawn at epoch 4");
    QVERIFY2(validation.xOfLowest - validation.minX <= 8, "the worst validation is drawn at epoch 1, the left end");
  }

  void one_epoch_is_a_visible_dot() {
    const auto csv = write("one.csv", "epoch,train_loss,val_miou_at_5_clicks,seconds\n1,0.9,0.5,3\n");
    const auto png = scratch_.filePath("one.png").toStdString();
    writeTrainingCurvesPlot(csv, png);
    const cv::Mat plot = cv::imread(png, cv::IMREAD_COLOR);
    QVERIFY(extentOf(plot, isLossColour).count > 10);
    QVERIFY(extentOf(plot, isValidationColour).count > 10);
  }

  void a_repeated_epoch_and_a_new_header_replace_the_older_rows() {
    const auto csv = write("quirks.csv",
                           "epoch,train_loss,val_miou_at_5_clicks,seconds\n"
                           "1,9,0.1,1\n"
                           "epoch,train_loss,val_miou_at_5_clicks,seconds\n" // a new run in the same folder
                           "1,2.0,0.4,1\n2,1.5,0.5,1\n"
                           "2,1.4,0.55,1\n3,1.2,0.6,1\n"); // resumed: epoch 2 ran again
    const auto curves = readTrainingMetrics(csv);
    QCOMPARE(curves.epochs, (std::vector<int>{1, 2, 3}));
    QCOMPARE(curves.trainLoss, (std::vector<double>{2.0, 1.4, 1.2}));
    QCOMPARE(curves.validationMetric, (std::vector<double>{0.4, 0.55, 0.6}));
    QCOMPARE(curves.validationColumn, std::string("val_miou_at_5_clicks"));
  }

  void missing_or_bad_metrics_are_refused_with_the_file_name() {
    const auto expectRefused = [](const std::string& path, const std::string& reason) {
      try {
        readTrainingMetrics(path);
        QFAIL(("no error for " + path).c_str());
      } catch (const ImageIOError& e) {
        const std::string message = e.what();
        QVERIFY2(message.find(path) != std::string::npos, message.c_str());
        QVERIFY2(message.find(reason) != std::string::npos, message.c_str());
      }
    };
    expectRefused(scratch_.filePath("absent.csv").toStdString(), "cannot open");
    expectRefused(write("text.csv", "epoch,train_loss,val_miou_at_5_clicks,seconds\n1,abc,0.5,1\n"), "line 2: train_loss 'abc'");
    expectRefused(write("nan.csv", "epoch,train_loss,val_miou_at_5_clicks,seconds\n1,nan,0.5,1\n"), "not a finite number");
    expectRefused(write("columns.csv", "epoch,loss\n1,0.5\n"), "lacks a train_loss or val_* column");
    expectRefused(write("short.csv", "epoch,train_loss,val_miou_at_5_clicks,seconds\n1,0.5\n"), "fewer values");
    expectRefused(write("headless.csv", "1,0.5,0.5,1\n"), "before the header");
    expectRefused(write("empty.csv", "epoch,train_loss,val_miou_at_5_clicks,seconds\n"), "no finished epoch");
    QVERIFY_THROWS_EXCEPTION(ImageIOError, writeTrainingCurvesPlot(TrainingCurves{}, scratch_.filePath("x.png").toStdString()));
  }
};

QTEST_GUILESS_MAIN(TrainingCurvesTest)
#include "training_curves_test.moc"
