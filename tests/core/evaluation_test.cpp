// The evaluation protocol: the clicker on hand-built masks, NoC arithmetic, the dataset layouts, an
// automatic segmenter over a multi-modal volume slice by slice, and the classical engine end to end
// on real data.

#include "classic/watershed_engine.h"
#include "core/data/labeled_dataset.h"
#include "core/data/modality_files.h"
#include "eval/automatic_evaluation.h"
#include "eval/evaluation_clicker.h"
#include "eval/interactive_evaluation.h"
#include "eval/noc_metrics.h"
#include "io/image_reader.h"
#include "io/image_writer.h"
#include "segmentation/slice_by_slice.h"
#include "support/test_engines.h"

#include <QTemporaryDir>
#include <QtTest>

#include <set>

#include <cmath>
#include <filesystem>

using namespace medclick;
namespace fs = std::filesystem;

namespace {

std::vector<uint8_t> rectangleMask(int width, int height, int x0, int y0, int w, int h) {
  std::vector<uint8_t> mask(static_cast<size_t>(width) * height, 0);
  for (int y = y0; y < y0 + h; ++y)
    for (int x = x0; x < x0 + w; ++x) mask[static_cast<size_t>(y) * width + x] = 1;
  return mask;
}

std::string sharedData(const std::string& relative) { return std::string(MEDCLICK_SHARED_DATA) + "/" + relative; }

// A stand-in network: the previous probability with disks of radius 2 set to 1 (positive) or 0
// (negative) at each click. It keeps the previous probability of round one.
class DiskEngine : public test::PlaneTestEngine {
public:
  std::string name() const override { return "disks"; }
  std::string deviceName() const override { return "cpu"; }
  void setImage(const float*, int width, int height, int) override {
    width_ = width;
    height_ = height;
  }
  std::vector<float> refine(const ClickList& clicks, size_t, const float* previous) override {
    std::vector<float> p(static_cast<size_t>(width_) * height_, 0.0f);
    if (previous) p.assign(previous, previous + p.size());
    if (clicks.size() == 1) firstPrevious = p;
    for (const Click& c : clicks)
      for (int y = 0; y < height_; ++y)
        for (int x = 0; x < width_; ++x)
          if ((x - c.x) * (x - c.x) + (y - c.y) * (y - c.y) <= 4.0) p[static_cast<size_t>(y) * width_ + x] = c.positive ? 1.0f : 0.0f;
    return p;
  }
  std::vector<float> firstPrevious; // what round one was given as the previous probability

private:
  int width_ = 0, height_ = 0;
};

// A stand-in automatic segmenter: a fixed probability map.
class FixedSegmenter : public test::AutomaticTestEngine {
public:
  explicit FixedSegmenter(std::vector<float> probability) : probability_(std::move(probability)) {}
  std::string name() const override { return "fixed"; }
  std::string deviceName() const override { return "cpu"; }
  std::vector<float> predict(const float*, int, int, int) override { return probability_; }

private:
  std::vector<float> probability_;
};

// A stand-in 2D segmenter that sees channels: object where channel 0 exceeds channel 1; it counts
// its calls and the channels it was given.
class ChannelComparingSegmenter : public test::AutomaticTestEngine {
public:
  std::string name() const override { return "compare"; }
  std::string deviceName() const override { return "cpu"; }
  std::vector<float> predict(const float* pixels, int width, int height, int channels) override {
    ++calls;
    lastChannels = channels;
    std::vector<float> p(static_cast<size_t>(width) * height);
    for (size_t i = 0; i < p.size(); ++i) p[i] = pixels[i * channels] > pixels[i * channels + 1] ? 0.9f : 0.1f;
    return p;
  }
  int calls = 0, lastChannels = 0;
};

std::vector<float> asProbability(const std::vector<uint8_t>& mask, float inside) {
  std::vector<float> p(mask.size(), 0.0f);
  for (size_t i = 0; i < mask.size(); ++i) p[i] = mask[i] ? inside : 0.02f;
  return p;
}

} // namespace

class EvaluationTest : public QObject {
  Q_OBJECT
  QTemporaryDir scratch_;

private slots:
  void first_click_is_positive_at_the_most_interior_pixel() {
    // A 7×5 object: the most interior pixels form a row; the first in row-major order wins the tie.
    const auto gt = rectangleMask(20, 12, 4, 3, 7, 5); // columns 4..10, rows 3..7
    EvaluationClicker clicker(gt, 20, 12);
    const auto click = clicker.next(std::vector<uint8_t>(gt.size(), 0));
    QVERIFY(click && click->positive);
    QCOMPARE(click->y, 5.0);  // middle row, 3 px from the top and bottom edges (with the 1-px padding)
    QCOMPARE(click->x, 6.0);  // columns 6, 7, 8 are all 3 px deep: the first is taken
  }

  void object_touching_the_border_is_measured_from_the_image_edge() {
    const auto gt = rectangleMask(10, 10, 0, 0, 4, 10); // the left 4 columns
    EvaluationClicker clicker(gt, 10, 10);
    const auto click = clicker.next(std::vector<uint8_t>(gt.size(), 0));
    QVERIFY(click);
    // Columns 1 and 2 are 2 px from the outside (the padding at x = -1, the background at x = 4) in
    // rows 1..8; without the padding column 0 would look deepest. First in row-major order wins.
    QCOMPARE(click->x, 1.0);
    QCOMPARE(click->y, 1.0);
  }

  void larger_false_positive_gets_a_negative_click_and_clicked_pixels_are_not_reused() {
    const auto gt = rectangleMask(30, 30, 2, 2, 6, 6);
    auto prediction = gt;
    for (int y = 15; y < 26; ++y)
      for (int x = 15; x < 26; ++x) prediction[static_cast<size_t>(y) * 30 + x] = 1; // 11×11 false alarm
    prediction[3 * 30 + 3] = 0; // one missed pixel inside the object
    EvaluationClicker clicker(gt, 30, 30);
    const auto first = clicker.next(prediction);
    QVERIFY(first && !first->positive);
    QCOMPARE(first->x, 20.0);
    QCOMPARE(first->y, 20.0);
    const auto second = clicker.next(prediction); // same prediction: the same pixel is not clicked again
    QVERIFY(second && !second->positive);
    QVERIFY(!(second->x == 20.0 && second->y == 20.0));
    QVERIFY(!EvaluationClicker(gt, 30, 30).next(gt)); // a perfect prediction: no click
  }

  void noc_arithmetic() {
    const std::vector<double> iou{0.5, 0.82, 0.86, 0.91, 0.95};
    QCOMPARE(numberOfClicks(iou, 0.80), 2);
    QCOMPARE(numberOfClicks(iou, 0.85), 3);
    QCOMPARE(numberOfClicks(iou, 0.90), 4);
    QCOMPARE(numberOfClicks({0.1, 0.2, 0.3}, 0.85), 3); // never reached: the maximum
    const auto s = summarize({{"a", {0.5, 0.9, 0.95}, 0.3}, {"b", {0.1, 0.2, 0.3}, 0.3}}, 3);
    QCOMPARE(s.noc90, (2.0 + 3.0) / 2.0);
    QCOMPARE(s.noc80, 2.5);
    QCOMPARE(s.neverReach90, 1);
    QCOMPARE(s.meanIouPerClick[0], 0.3);
    QCOMPARE(s.msPerClick, 100.0); // 0.6 s over 2 cases × 3 clicks
    QCOMPARE(intersectionOverUnion({1, 1, 0, 0}, {1, 0, 1, 0}), 1.0 / 3.0);
    QCOMPARE(intersectionOverUnion({0, 0}, {0, 0}), 1.0);
  }

  void an_initial_probability_is_iou_at_0_and_round_one_refines_it() {
    const Image image(ImageGeometry{2, {30, 30, 1}}, 1, PixelType::UInt8);
    LabelMask gt(image.geometry());
    const auto rectangle = rectangleMask(30, 30, 5, 5, 10, 10);
    gt.labels().assign(rectangle.begin(), rectangle.end());
    // The automatic mask misses the object's right 3 columns: IoU@0 = 70 / 100.
    const std::vector<float> initial = asProbability(rectangleMask(30, 30, 5, 5, 7, 10), 0.8f);
    DiskEngine engine;
    const CaseResult r = evaluateCase(engine, image, gt, "shifted", 3, &initial);
    QVERIFY(r.initialIou.has_value());
    QCOMPARE(*r.initialIou, 0.7);
    QVERIFY(engine.firstPrevious == initial); // round one got the automatic probability
    QCOMPARE(r.iouPerClick.size(), size_t{3});
    QVERIFY(r.iouPerClick[0] > 0.7); // the first click went into the missed columns
    // Without it, round one starts from an empty map and records no IoU@0.
    DiskEngine plain;
    QVERIFY(!evaluateCase(plain, image, gt, "plain", 1).initialIou);
    QVERIFY(plain.firstPrevious == std::vector<float>(initial.size(), 0.0f));
    const std::vector<float> wrongSize(10, 0.5f);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, evaluateCase(engine, image, gt, "bad", 1, &wrongSize));
  }

  void per_object_protocol_gives_each_connected_object_its_own_clicks() {
    const Image image(ImageGeometry{2, {30, 30, 1}}, 1, PixelType::UInt8);
    LabelMask gt(image.geometry());
    const auto add = [&](int x0, int y0, int w, int h) {
      const auto block = rectangleMask(30, 30, x0, y0, w, h);
      for (std::size_t i = 0; i < block.size(); ++i) gt.labels()[i] = gt.labels()[i] || block[i] ? 1 : 0;
    };
    add(2, 2, 3, 3);    // a 3x3 pocket
    add(10, 10, 6, 4);  // a 6x4 pocket
    add(22, 22, 3, 3);  // another 3x3 pocket
    add(27, 2, 2, 1);   // 2 pixels: below the size kept
    DiskEngine engine;
    const std::vector<CaseResult> objects = evaluateCaseObjects(engine, image, gt, "scan", 4, 5);
    QCOMPARE(objects.size(), std::size_t(3));
    std::set<std::string> names;
    int squares = 0;
    for (const CaseResult& r : objects) {
      names.insert(r.name);
      QVERIFY(r.name.rfind("scan#", 0) == 0);
      QCOMPARE(r.iouPerClick.size(), std::size_t(4));
      // Click 1 at a 3x3 pocket's centre: the radius-2 disk (13 pixels) covers its 9, IoU 9/13.
      if (std::abs(r.iouPerClick.front() - 9.0 / 13.0) < 1e-12) ++squares;
    }
    QCOMPARE(names.size(), std::size_t(3));
    QCOMPARE(squares, 2);
    QCOMPARE(evaluateCaseObjects(engine, image, gt, "scan", 4, 1).size(), std::size_t(4));
    QVERIFY(evaluateCaseObjects(engine, image, gt, "scan", 4, 100).empty());
    // The whole-mask protocol on the same image: click 1 finds one pocket of three.
    const CaseResult whole = evaluateCase(engine, image, gt, "scan", 4);
    QVERIFY2(whole.iouPerClick.front() < 0.5, qPrintable(QString::number(whole.iouPerClick.front())));
  }

  void an_automatic_mask_that_reaches_the_target_needs_no_click() {
    CaseResult good{"good", {0.95, 0.96}, 0.2, 0.86};
    CaseResult poor{"poor", {0.5, 0.81}, 0.2, 0.3};
    QCOMPARE(numberOfClicks(good, 0.85), 0);
    QCOMPARE(numberOfClicks(good, 0.90), 1);
    QCOMPARE(numberOfClicks(poor, 0.80), 2);
    const auto s = summarize({good, poor}, 2);
    QCOMPARE(s.noc80, 1.0); // (0 + 2) / 2
    QCOMPARE(s.noc85, 1.0); // (0 + 2) / 2, poor never reaches it
    QVERIFY(s.meanInitialIou && std::abs(*s.meanInitialIou - 0.58) < 1e-12);
    const std::string json = summaryJson(s, "IKAN", "kmunet");
    QVERIFY2(json.find("\"init\":\"kmunet\",\"miou_at_0\":0.58,") != std::string::npos, json.c_str());
    const std::string plain = summaryJson(summarize({{"a", {0.5, 0.9}, 0.1}}, 2), "IKAN");
    QVERIFY2(plain.find("init") == std::string::npos && plain.find("miou_at_0") == std::string::npos, plain.c_str());
  }

  void automatic_protocol_averages_dice_and_only_finite_hd95() {
    const Image image(ImageGeometry{2, {30, 30, 1}}, 1, PixelType::UInt8);
    LabelMask gt(image.geometry());
    const auto rectangle = rectangleMask(30, 30, 5, 5, 10, 10);
    gt.labels().assign(rectangle.begin(), rectangle.end());
    FixedSegmenter shifted(asProbability(rectangleMask(30, 30, 7, 5, 10, 10), 0.6f)); // 2 columns right
    FixedSegmenter nothing(std::vector<float>(900, 0.3f));                           // below the threshold
    const AutomaticCaseResult a = evaluateAutomaticCase(shifted, image, gt, "a");
    const AutomaticCaseResult b = evaluateAutomaticCase(nothing, image, gt, "b");
    QCOMPARE(a.metrics.dice, 0.8); // 80 of 100 + 100
    QCOMPARE(a.metrics.iou, 80.0 / 120.0);
    QVERIFY(std::isfinite(a.metrics.hd95Millimetres) && a.metrics.hd95Millimetres > 0);
    QCOMPARE(b.metrics.dice, 0.0);
    QVERIFY(std::isinf(b.metrics.hd95Millimetres));

    const AutomaticSummary s = summarizeAutomatic({a, b});
    QCOMPARE(s.cases, 2);
    QCOMPARE(s.dice, 0.4);
    QCOMPARE(s.hd95Millimetres, a.metrics.hd95Millimetres); // the infinite case is counted, not averaged
    QCOMPARE(s.finiteHd95Cases, 1);
    QCOMPARE(s.infiniteHd95Cases, 1);
    const std::string json = automaticSummaryJson(s, "fixed");
    QVERIFY2(json.find("\"dice\":0.4,") != std::string::npos && json.find("\"hd95_infinite_cases\":1") != std::string::npos, json.c_str());
    const std::string none = automaticSummaryJson(summarizeAutomatic({b}), "fixed");
    QVERIFY2(none.find("\"hd95_mm\":null") != std::string::npos, none.c_str());
  }

  void a_multi_modal_volume_is_segmented_slice_by_slice_on_its_own_grid() {
    // Two NIfTI modalities, 5×4×3 at 0.5×0.5×2 mm: slice 0 is empty (constant: not predicted), slice 1
    // has modality 0 above modality 1 in its left half, slice 2 nowhere.
    const fs::path root(scratch_.path().toStdString());
    fs::create_directories(root / "mm");
    ImageGeometry g{3, {5, 4, 3}};
    g.spacing = {0.5, 0.5, 2.0};
    Image first(g, 1, PixelType::Float32), second(g, 1, PixelType::Float32);
    for (size_t k = 1; k < 3; ++k)
      for (size_t y = 0; y < 4; ++y)
        for (size_t x = 0; x < 5; ++x) {
          const size_t i = (k * 4 + y) * 5 + x;
          first.voxels()[i] = k == 1 && x < 2 ? 10.0f : 1.0f + static_cast<float>(x);
          second.voxels()[i] = 5.0f + static_cast<float>(y);
        }
    writeImage(first, (root / "mm/case_0000.nii.gz").string());
    writeImage(second, (root / "mm/case_0001.nii.gz").string());
    const auto paths = nnunetModalityPaths((root / "mm/case_0000.nii.gz").string());
    QCOMPARE(paths.size(), size_t{2});
    QCOMPARE(paths[1], (root / "mm/case_0001.nii.gz").string());
    QCOMPARE(nnunetModalityPaths((root / "mm/other.nii.gz").string()).size(), size_t{1});
    const auto modalities = readModalities(paths);
    ChannelComparingSegmenter segmenter;
    const auto probability = segmentSliceBySlice(segmenter, modalities);
    QCOMPARE(segmenter.calls, 2); // slice 0 holds nothing
    QCOMPARE(segmenter.lastChannels, 2);
    QCOMPARE(probability.size(), size_t{60});
    QCOMPARE(probability[0], 0.0f);                 // slice 0: not predicted
    QCOMPARE(probability[(1 * 4 + 2) * 5 + 1], 0.9f); // slice 1, x 1: 10 > 7
    QCOMPARE(probability[(1 * 4 + 2) * 5 + 3], 0.1f); // slice 1, x 3: 4 < 7
    QCOMPARE(probability[(2 * 4 + 0) * 5 + 1], 0.1f); // slice 2: 2 < 5
    // The evaluation of the volume: Dice against the left half of slice 1, on the volume's grid.
    LabelMask truth(modalities.front().geometry());
    for (size_t y = 0; y < 4; ++y)
      for (size_t x = 0; x < 2; ++x) truth.labels()[(1 * 4 + y) * 5 + x] = 1;
    const auto result = evaluateAutomaticCase(segmenter, modalities, truth, "mm/case");
    QCOMPARE(result.metrics.dice, 1.0);
    // A modality on another grid is refused with both geometries.
    ImageGeometry other = g;
    other.spacing[2] = 3.0;
    writeImage(Image(other, 1, PixelType::Float32), (root / "mm/case_0002.nii.gz").string());
    try {
      readModalities(nnunetModalityPaths((root / "mm/case_0000.nii.gz").string()));
      QFAIL("a modality on another grid was accepted");
    } catch (const std::exception& e) {
      QVERIFY2(std::string(e.what()).find("case_0002.nii.gz") != std::string::npos, e.what());
      QVERIFY2(std::string(e.what()).find("lies on another grid") != std::string::npos, e.what());
    }
  }

  void dataset_layouts_are_detected() {
    const fs::path root(scratch_.path().toStdString());
    const Image image(ImageGeometry{2, {8, 6, 1}}, 1, PixelType::UInt8);
    LabelMask mask(image.geometry());
    mask.labels()[5] = 1;
    // images/ + masks/ with a _mask suffix
    fs::create_directories(root / "plain/images");
    fs::create_directories(root / "plain/masks");
    writeImage(image, (root / "plain/images/001_HC.png").string());
    writeImage(image, (root / "plain/images/001_2HC.png").string());
    writeMask(mask, (root / "plain/masks/001_HC_mask.png").string());
    writeMask(mask, (root / "plain/masks/001_2HC.png").string());
    const auto plain = scanLabeledDataset((root / "plain").string());
    QCOMPARE(plain.layout, std::string("images+masks"));
    QCOMPARE(plain.cases.size(), size_t{2});
    QCOMPARE(plain.cases[0].group, plain.cases[1].group); // one HC18 exam
    // BUSI, with an extra lesion merged by OR
    fs::create_directories(root / "busi/benign");
    writeImage(image, (root / "busi/benign/benign (1).png").string());
    writeMask(mask, (root / "busi/benign/benign (1)_mask.png").string());
    LabelMask second(image.geometry());
    second.labels()[40] = 1;
    writeMask(second, (root / "busi/benign/benign (1)_mask_1.png").string());
    const auto busi = scanLabeledDataset((root / "busi").string());
    QCOMPARE(busi.layout, std::string("busi"));
    QCOMPARE(busi.cases.size(), size_t{1});
    QCOMPARE(readCaseMask(busi.cases[0], image.geometry()).countNonZero(), size_t{2});
    // MSD
    fs::create_directories(root / "msd/imagesTr");
    fs::create_directories(root / "msd/labelsTr");
    const Image volume(ImageGeometry{3, {4, 4, 3}}, 1, PixelType::Int16);
    LabelMask labels(volume.geometry());
    labels.labels()[3] = 2;
    labels.labels()[4] = 4;
    writeImage(volume, (root / "msd/imagesTr/case_0000.nii.gz").string());
    writeImage(volume, (root / "msd/imagesTr/case_0001.nii.gz").string());
    writeMask(labels, (root / "msd/labelsTr/case.nii.gz").string());
    const auto msd = scanLabeledDataset((root / "msd").string());
    QCOMPARE(msd.layout, std::string("msd"));
    QCOMPARE(msd.cases.size(), size_t{1});
    QCOMPARE(readCaseMask(msd.cases[0], volume.geometry()).countNonZero(), size_t{2});
    QCOMPARE(readCaseMask(msd.cases[0], volume.geometry(), 4).countNonZero(), size_t{1});
    QVERIFY_THROWS_EXCEPTION(std::exception, scanLabeledDataset((root / "plain/images").string()));
  }

  void groups_keep_exams_and_patients_together() {
    QCOMPARE(groupOf("hc18", "012_2HC"), groupOf("hc18", "012_HC"));
    QCOMPARE(groupOf("oct-dme", "img_1"), groupOf("oct-dme", "img_11"));
    QVERIFY(groupOf("oct-dme", "img_11") != groupOf("oct-dme", "img_12"));
    QCOMPARE(groupOf("bus-bra", "bus_0001-l"), groupOf("bus-bra", "bus_0001-r"));
  }

  void classic_engine_end_to_end_on_real_ultrasound() {
    const std::string folder = sharedData("busi");
    if (!fs::exists(folder)) QSKIP("../shared/data is not beside this checkout");
    const auto dataset = scanLabeledDataset(folder);
    auto engine = createWatershedEngine();
    std::vector<CaseResult> results;
    for (const auto& c : dataset.cases) {
      if (results.size() == 4) break;
      const Image image = readImage(c.imagePath);
      const LabelMask mask = readCaseMask(c, image.geometry());
      if (mask.countNonZero() == 0) continue;
      results.push_back(evaluateCase(*engine, image, mask, c.name, 20));
      QCOMPARE(results.back().iouPerClick.size(), size_t{20});
    }
    const auto s = summarize(results, 20);
    QVERIFY(s.noc85 >= 1.0 && s.noc85 <= 20.0);
    QVERIFY(s.meanIouPerClick.back() > s.meanIouPerClick.front()); // clicks help
    QVERIFY(s.meanIouPerClick.back() > 0.5);
  }
};

QTEST_GUILESS_MAIN(EvaluationTest)
#include "evaluation_test.moc"
