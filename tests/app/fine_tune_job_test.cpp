// The fine-tune job of the CLI and the GUI, end to end on real PNG files: images/ + masks/ decoded
// into a tensor cache, a tiny IKAN run with progress reports, curves.png, and best weights that the
// engine loads. Kept small (64-pixel cases and network, two short epochs, one thread).

#include "common/engine_choice.h"
#include "common/fine_tune_job.h"
#include "io/image_writer.h"
#include "support/test_images.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <random>

using namespace medclick;
namespace fs = std::filesystem;

namespace {

// Bright discs on a darker noisy background, one PNG pair per case (names as a clinician's export).
void writeDiscDataset(const fs::path& folder, int cases) {
  fs::create_directories(folder / "images");
  fs::create_directories(folder / "masks");
  std::mt19937 random(3);
  std::normal_distribution<double> noise(0.0, 8.0);
  for (int c = 0; c < cases; ++c) {
    cv::Mat mask(56, 64, CV_8UC1, cv::Scalar(0));
    cv::circle(mask, {22 + 2 * c, 26 + c % 3}, 9 + c % 4, cv::Scalar(255), cv::FILLED);
    cv::Mat image(mask.size(), CV_8UC1);
    for (int y = 0; y < image.rows; ++y)
      for (int x = 0; x < image.cols; ++x)
        image.at<uint8_t>(y, x) = cv::saturate_cast<uint8_t>((mask.at<uint8_t>(y, x) ? 170.0 : 60.0) + noise(random));
    const std::string name = "case" + std::to_string(c) + ".png";
    QVERIFY(cv::imwrite((folder / "images" / name).string(), image));
    QVERIFY(cv::imwrite((folder / "masks" / name).string(), mask));
  }
}

app::FineTuneJobOptions tinyJob(const fs::path& data, const fs::path& out) {
  app::FineTuneJobOptions job;
  job.model = "ikan";
  job.dataFolders = {data.string()};
  job.cacheSize = 64;
  IkanTrainingOptions& t = job.training;
  t.outDir = out.string();
  t.variant = "small";
  t.inputSize = 64;
  t.epochs = 2;
  t.stepsPerEpoch = 2;
  t.batchSize = 2;
  t.gradientRounds = 1;
  t.maxNoGradientRounds = 1;
  t.validationFraction = 0.3;
  t.validationClicks = 2;
  t.device = "cpu";
  t.threads = 1;
  t.seed = 5;
  return job;
}

} // namespace

class FineTuneJobTest : public QObject {
  Q_OBJECT
  QTemporaryDir scratch_;

private slots:
  void a_tiny_run_from_png_folders_writes_curves_and_loadable_best_weights() {
    const fs::path data = fs::path(scratch_.path().toStdString()) / "local-cases";
    writeDiscDataset(data, 8);
    const auto job = tinyJob(data, fs::path(scratch_.path().toStdString()) / "run");
    int stepReports = 0, epochReports = 0;
    std::atomic<bool> cancel{false};
    const auto summary = app::runFineTuneJob(
        job, [&](const TrainingProgress& p) { (p.validated ? epochReports : stepReports)++; }, cancel);

    QCOMPARE(summary.epochsRun, 2);
    QVERIFY(!summary.cancelled);
    QCOMPARE(stepReports, 4);
    QCOMPARE(epochReports, 2);
    QVERIFY(fs::is_regular_file(fs::path(job.training.outDir) / "cases.safetensors"));
    QVERIFY(fs::is_regular_file(app::trainingCurvesPath(job.training.outDir)));
    const cv::Mat curves = cv::imread(app::trainingCurvesPath(job.training.outDir));
    QCOMPARE(curves.cols, 800);

    QVERIFY(fs::is_regular_file(summary.bestWeightsPath));
    const auto engine = app::createEngineByName("ikan", summary.bestWeightsPath, "cpu");
    std::vector<float> pixels(64 * 56, 100.0f);
    engine->setImage(planeImage(pixels.data(), 64, 56, 1));
    std::vector<float> probability(64 * 56, 0.0f);
    QVERIFY(engine->refine({{30, 28, 0, true}}, 0, probability.data()) == VoxelBox::whole({64, 56, 1}));
  }

  void cancel_while_decoding_trains_nothing() {
    const fs::path data = fs::path(scratch_.path().toStdString()) / "cancelled-cases";
    writeDiscDataset(data, 2);
    const auto job = tinyJob(data, fs::path(scratch_.path().toStdString()) / "cancelled-run");
    std::atomic<bool> cancel{true};
    const auto summary = app::runFineTuneJob(job, {}, cancel);
    QVERIFY(summary.cancelled);
    QCOMPARE(summary.epochsRun, 0);
    QVERIFY(!fs::exists(fs::path(job.training.outDir) / "cases.safetensors"));
    QVERIFY(!fs::exists(fs::path(job.training.outDir) / "metrics.csv"));
  }

  void cache_builders_skip_empty_masks_and_the_other_dimension_and_say_so() {
    const fs::path data = fs::path(scratch_.path().toStdString()) / "cases-with-an-empty-mask";
    writeDiscDataset(data, 3);
    QVERIFY(cv::imwrite((data / "masks" / "case0.png").string(), cv::Mat(56, 64, CV_8UC1, cv::Scalar(0))));
    const std::string cache = (fs::path(scratch_.path().toStdString()) / "skip-cache.safetensors").string();
    std::atomic<bool> cancel{false};
    QCOMPARE(app::buildTrainingCache({data.string()}, cache, 0, 64, cancel), 2); // case0's mask is empty
    QVERIFY(fs::exists(cache));
    // With object crops each disc (one object per case) adds its crop, named case#1; a folder that is
    // no --data folder is refused.
    QCOMPARE(app::buildTrainingCache({data.string()}, cache + ".crops", 0, 64, cancel, {data.string()}), 4);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, app::buildTrainingCache({data.string()}, cache + ".x", 0, 64, cancel, {"/elsewhere"}));
    try { // CAISeg's cache takes volumes: every 2D case is skipped, the empty one included
      app::buildVolumeTrainingCache({data.string()}, cache + ".3d", 0, 0.0, cancel);
      QFAIL("a folder of 2D images made a volume cache");
    } catch (const std::runtime_error& e) {
      QCOMPARE(QString(e.what()), QString("no 3D case with a non-empty mask in the data given (0 empty, 3 2D)"));
    }
    cancel = true;
    QCOMPARE(app::buildTrainingCache({data.string()}, cache + ".cancelled", 0, 64, cancel), -1);
    QVERIFY(!fs::exists(cache + ".cancelled"));
  }

  void label_targets_add_a_volume_per_label_of_a_multi_label_mask() {
    // An MSD folder with one 20×16×10 volume whose mask stores labels 1 (240 voxels), 2 (300) and
    // 4 (48, below the 100 voxels a target needs), as BraTS stores its sub-regions.
    const fs::path data = fs::path(scratch_.path().toStdString()) / "multi-label-msd";
    fs::create_directories(data / "imagesTr");
    fs::create_directories(data / "labelsTr");
    const ImageGeometry geometry = testing::obliqueGeometry3d(20, 16, 10);
    writeImage(testing::rampImage(geometry, PixelType::Float32), (data / "imagesTr" / "vol_0000.nii.gz").string());
    LabelMask labels(geometry);
    const auto at = [&](std::size_t i, std::size_t j, std::size_t k) -> Label& { return labels.labels()[(k * 16 + j) * 20 + i]; };
    for (std::size_t k = 0; k < 4; ++k)
      for (std::size_t j = 0; j < 6; ++j)
        for (std::size_t i = 0; i < 10; ++i) at(i, j, k) = 1;   // 240
    for (std::size_t k = 5; k < 8; ++k)
      for (std::size_t j = 0; j < 10; ++j)
        for (std::size_t i = 0; i < 10; ++i) at(i, j, k) = 2;   // 300
    for (std::size_t k = 8; k < 10; ++k)
      for (std::size_t j = 10; j < 14; ++j)
        for (std::size_t i = 10; i < 16; ++i) at(i, j, k) = 4;  // 48
    writeMask(labels, (data / "labelsTr" / "vol.nii.gz").string());
    const std::string cache = (fs::path(scratch_.path().toStdString()) / "label-targets.safetensors").string();
    std::atomic<bool> cancel{false};
    QCOMPARE(app::buildVolumeTrainingCache({data.string()}, cache, 0, 0.0, cancel), 1);          // the whole lesion
    QCOMPARE(app::buildVolumeTrainingCache({data.string()}, cache, 0, 0.0, cancel, true), 3);    // + vol#1, vol#2
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, app::buildVolumeTrainingCache({data.string()}, cache, 2, 0.0, cancel, true));
    // A one-label mask is its own only target.
    for (auto& v : labels.labels()) v = v ? 1 : 0;
    writeMask(labels, (data / "labelsTr" / "vol.nii.gz").string());
    QCOMPARE(app::buildVolumeTrainingCache({data.string()}, cache, 0, 0.0, cancel, true), 1);
  }

  void an_unknown_model_or_a_folder_without_cases_is_refused() {
    auto job = tinyJob(fs::path(scratch_.path().toStdString()) / "nothing", fs::path(scratch_.path().toStdString()) / "refused");
    std::atomic<bool> cancel{false};
    job.model = "unet";
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, app::runFineTuneJob(job, {}, cancel));
    job.model = "ikan";
    fs::create_directories(fs::path(scratch_.path().toStdString()) / "nothing" / "images");
    fs::create_directories(fs::path(scratch_.path().toStdString()) / "nothing" / "masks");
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, app::runFineTuneJob(job, {}, cancel));
  }
};

QTEST_GUILESS_MAIN(FineTuneJobTest)
#include "fine_tune_job_test.moc"
