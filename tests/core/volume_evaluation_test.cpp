// The 3D click protocol: the clicker on hand-built volumes (largest error region, its deepest voxel,
// the sign, no repeats), the per-click Dice and NoC of a case, the classical 3D watershed on a real
// NRRD lesion volume, and the image+label pairs layout that holds those volumes.

#include "classic/volume_watershed_engine.h"
#include "core/data/labeled_dataset.h"
#include "eval/volume_evaluation_clicker.h"
#include "eval/volume_interactive_evaluation.h"
#include "io/image_reader.h"
#include "support/test_engines.h"

#include <QtTest>

#include <filesystem>
#include <stdexcept>

using namespace medclick;
namespace fs = std::filesystem;

namespace {

std::string sharedData(const std::string& relative) { return std::string(MEDCLICK_SHARED_DATA) + "/" + relative; }

ImageGeometry grid(std::size_t nx, std::size_t ny, std::size_t nz, double sx = 1.0, double sy = 1.0, double sz = 1.0) {
  ImageGeometry g;
  g.dimension = 3;
  g.size = {nx, ny, nz};
  g.spacing = {sx, sy, sz};
  return g;
}

// Voxels i0..i1, j0..j1, k0..k1 (inclusive) set to 1.
template <typename T>
void fill(std::vector<T>& voxels, const ImageGeometry& g, std::size_t i0, std::size_t i1, std::size_t j0, std::size_t j1,
          std::size_t k0, std::size_t k1) {
  for (std::size_t k = k0; k <= k1; ++k)
    for (std::size_t j = j0; j <= j1; ++j)
      for (std::size_t i = i0; i <= i1; ++i) voxels[i + g.size[0] * (j + g.size[1] * k)] = 1;
}

// Returns the reference itself once it has a click: a perfect engine; with no clicks, its left half.
class ReferenceEngine : public test::VolumeTestEngine {
public:
  explicit ReferenceEngine(const LabelMask& reference) : reference_(reference) {}
  std::string name() const override { return "reference"; }
  std::string deviceName() const override { return "cpu"; }
  void setVolume(const float*, const std::array<std::size_t, 3>&, const std::array<double, 3>&) override {}
  std::vector<float> refine(const VolumeClickList& clicks, const float*) override {
    std::vector<float> p(reference_.labels().begin(), reference_.labels().end());
    if (clicks.empty())
      for (std::size_t v = 0; v < p.size(); ++v) p[v] *= (v % reference_.geometry().size[0]) < 6 ? 1.0f : 0.0f;
    return p;
  }

private:
  const LabelMask& reference_;
};

} // namespace

class VolumeEvaluationTest : public QObject {
  Q_OBJECT

private slots:
  void first_click_is_positive_at_the_centre_of_the_lesion() {
    const ImageGeometry g = grid(12, 12, 12);
    LabelMask reference(g);
    fill(reference.labels(), g, 3, 7, 2, 6, 4, 8); // centre (5, 4, 6)
    VolumeEvaluationClicker clicker(reference);
    const auto click = clicker.next(std::vector<std::uint8_t>(reference.labels().size(), 0));
    QVERIFY(click && click->positive);
    QCOMPARE(click->i, 5.0);
    QCOMPARE(click->j, 4.0);
    QCOMPARE(click->k, 6.0);
  }

  void the_largest_error_region_wins_and_fixes_the_sign() {
    const ImageGeometry g = grid(20, 20, 10);
    LabelMask reference(g);
    fill(reference.labels(), g, 2, 4, 2, 4, 2, 4); // a 27-voxel lesion, missed
    std::vector<std::uint8_t> prediction(reference.labels().size(), 0);
    fill(prediction, g, 10, 16, 10, 16, 1, 7); // a 7×7×7 false alarm: larger, so a negative click at its centre
    VolumeEvaluationClicker clicker(reference);
    const auto click = clicker.next(prediction);
    QVERIFY(click && !click->positive);
    QCOMPARE(click->i, 13.0);
    QCOMPARE(click->j, 13.0);
    QCOMPARE(click->k, 4.0);
    // Of two missed parts the larger one is clicked, even when the smaller one comes first.
    LabelMask twoParts(g);
    fill(twoParts.labels(), g, 1, 2, 1, 2, 1, 2);      // 8 voxels
    fill(twoParts.labels(), g, 10, 14, 10, 14, 2, 6);  // 125 voxels, centre (12, 12, 4)
    VolumeEvaluationClicker second(twoParts);
    const auto positive = second.next(std::vector<std::uint8_t>(twoParts.labels().size(), 0));
    QVERIFY(positive && positive->positive);
    QCOMPARE(positive->i, 12.0);
    QCOMPARE(positive->k, 4.0);
  }

  void no_click_without_errors_and_never_the_same_voxel_twice() {
    const ImageGeometry g = grid(10, 10, 6, 0.8, 0.8, 3.0);
    LabelMask reference(g);
    fill(reference.labels(), g, 2, 6, 2, 6, 1, 3);
    VolumeEvaluationClicker clicker(reference);
    QVERIFY(!clicker.next(objectVoxels(reference)).has_value());
    const std::vector<std::uint8_t> empty(reference.labels().size(), 0);
    const auto a = clicker.next(empty), b = clicker.next(empty);
    QVERIFY(a && b);
    QVERIFY(a->i != b->i || a->j != b->j || a->k != b->k);
    QCOMPARE(clicker.clicks().size(), std::size_t{2});
  }

  void a_perfect_engine_needs_one_click_and_the_automatic_round_is_dice_at_zero() {
    const ImageGeometry g = grid(12, 10, 8);
    LabelMask reference(g);
    fill(reference.labels(), g, 2, 9, 2, 7, 2, 5); // columns 2..9: the automatic round keeps 2..5, half of it
    Image volume(g, 1, PixelType::Float32);
    ReferenceEngine engine(reference);
    const VolumeCaseResult plain = evaluateVolumeCase(engine, volume, reference, "box", 4);
    QCOMPARE(plain.clicks.iouPerClick, std::vector<double>(4, 1.0));
    QCOMPARE(numberOfClicks(plain.clicks, 0.9), 1);
    QVERIFY(!plain.clicks.initialIou.has_value());
    QCOMPARE(plain.final.dice, 1.0);
    QCOMPARE(plain.final.hd95Millimetres, 0.0);
    const VolumeCaseResult automatic = evaluateVolumeCase(engine, volume, reference, "box", 4, true);
    QVERIFY(automatic.clicks.initialIou.has_value());
    QVERIFY(std::abs(*automatic.clicks.initialIou - 2.0 * 96 / (96 + 192)) < 1e-12); // Dice of half the box
    const std::string json = volumeSummaryJson(summarize({automatic.clicks}, 4), {automatic}, engine.name());
    QVERIFY2(json.find("\"metric\":\"dice\"") != std::string::npos && json.find("\"noc90\":1,") != std::string::npos &&
                 json.find("\"mdice_per_click\":[1,1,1,1]") != std::string::npos && json.find("\"assd_mm\":0") != std::string::npos,
             json.c_str());
  }

  void classical_watershed_segments_a_real_nrrd_lesion_from_clicks() {
    const std::string folder = sharedData("lesions-nrrd");
    if (!fs::exists(folder)) QSKIP("../shared/data is not beside this checkout");
    const LabeledDataset dataset = scanLabeledDataset(folder);
    QCOMPARE(QString::fromStdString(dataset.layout), QString("image+label pairs"));
    QCOMPARE(dataset.cases.size(), std::size_t{3});
    const LabeledCase& breast = dataset.cases.back(); // sorted by name: brain1, brain2, breast1
    QCOMPARE(QString::fromStdString(breast.name), QString("lesions-nrrd/breast1"));
    const Image volume = readImage(breast.imagePath);
    const LabelMask reference = readCaseMask(breast, volume.geometry());
    const auto engine = createVolumeWatershedEngine();
    const VolumeCaseResult r = evaluateVolumeCase(*engine, volume, reference, breast.name, 3);
    QCOMPARE(r.clicks.iouPerClick.size(), std::size_t{3});
    for (const double dice : r.clicks.iouPerClick) QVERIFY(dice >= 0.0 && dice <= 1.0);
    QVERIFY2(r.clicks.iouPerClick.front() > 0.1, qPrintable(QString::number(r.clicks.iouPerClick.front()))); // flooded from inside the lesion
    QCOMPARE(r.final.dice, r.clicks.iouPerClick.back());
    QVERIFY(r.final.precision > 0.0 && r.final.recall > 0.0);
    // The watershed has no automatic round: asking for one is a clear error.
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, evaluateVolumeCase(*engine, volume, reference, breast.name, 1, true));
  }
};

QTEST_GUILESS_MAIN(VolumeEvaluationTest)
#include "volume_evaluation_test.moc"
