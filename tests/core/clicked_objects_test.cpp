// Keeping the objects that hold a positive click: a clicked object stays whole, an unclicked one goes,
// faint values and the result without any positive click are left alone, a click on background keeps
// nothing, and the engine wrapper applies it to what any 3D engine returns.

#include "segmentation/clicked_objects.h"
#include "segmentation/connected_components.h"
#include "support/engine_calls.h"
#include "support/test_engines.h"

#include <QtTest>

#include <algorithm>
#include <random>

using namespace medclick;

namespace {

ImageGeometry grid(std::size_t nx, std::size_t ny, std::size_t nz) {
  ImageGeometry g;
  g.dimension = 3;
  g.size = {nx, ny, nz};
  return g;
}

// A lesion (a 2x2x3 block at i 1-2, j 1-2, k 1-3) and a false alarm (one voxel at the far corner).
std::vector<float> lesionAndFalseAlarm() {
  std::vector<float> p(8 * 8 * 6, 0.0f);
  for (int k = 1; k <= 3; ++k)
    for (int j = 1; j <= 2; ++j)
      for (int i = 1; i <= 2; ++i) p[static_cast<std::size_t>((k * 8 + j) * 8 + i)] = 0.9f;
  p[static_cast<std::size_t>((5 * 8 + 7) * 8 + 7)] = 0.8f;
  p[static_cast<std::size_t>((0 * 8 + 6) * 8 + 1)] = 0.3f; // faint: not an object
  return p;
}

float at(const std::vector<float>& p, int i, int j, int k) { return p[static_cast<std::size_t>((k * 8 + j) * 8 + i)]; }

// Returns a fixed probability whatever the clicks: what a network's patch would leave behind.
class FixedEngine : public test::VolumeTestEngine {
public:
  explicit FixedEngine(std::vector<float> result) : result_(std::move(result)) {}
  std::string name() const override { return "fixed"; }
  std::string deviceName() const override { return "cpu"; }
  void setVolume(const float*, const std::array<std::size_t, 3>&, const std::array<double, 3>&) override {}
  std::vector<float> refine(const VolumeClickList&, const float*) override { return result_; }

private:
  std::vector<float> result_;
};

} // namespace

class ClickedObjectsTest : public QObject {
  Q_OBJECT

private slots:
  void the_clicked_lesion_stays_and_the_false_alarm_goes() {
    std::vector<float> p = lesionAndFalseAlarm();
    // a sub-voxel click rounds to (2, 1, 3), inside the block; a negative click elsewhere marks nothing
    QCOMPARE(keepClickedObjects(p, grid(8, 8, 6), {{1.6, 1.2, 2.7, true}, {7, 7, 5, false}}, 0.5), std::size_t{1});
    QCOMPARE(at(p, 1, 1, 1), 0.9f);
    QCOMPARE(at(p, 2, 2, 3), 0.9f);
    QCOMPARE(at(p, 7, 7, 5), 0.0f);
    QCOMPARE(at(p, 1, 6, 0), 0.3f);
  }

  void two_clicked_objects_both_stay() {
    std::vector<float> p = lesionAndFalseAlarm();
    QCOMPARE(keepClickedObjects(p, grid(8, 8, 6), {{1, 1, 1, true}, {7, 7, 5, true}}, 0.5), std::size_t{0});
    QCOMPARE(p, lesionAndFalseAlarm());
  }

  void without_a_positive_click_nothing_is_removed() {
    std::vector<float> p = lesionAndFalseAlarm();
    QCOMPARE(keepClickedObjects(p, grid(8, 8, 6), {}, 0.5), std::size_t{0});
    QCOMPARE(keepClickedObjects(p, grid(8, 8, 6), {{7, 7, 5, false}}, 0.5), std::size_t{0});
    QCOMPARE(p, lesionAndFalseAlarm());
  }

  void a_positive_click_on_background_keeps_no_object() {
    std::vector<float> p = lesionAndFalseAlarm();
    QCOMPARE(keepClickedObjects(p, grid(8, 8, 6), {{5, 5, 0, true}}, 0.5), std::size_t{13}); // the 12-voxel block and the false alarm
    QCOMPARE(at(p, 1, 1, 1), 0.0f);
    QCOMPARE(at(p, 7, 7, 5), 0.0f);
    QCOMPARE(at(p, 1, 6, 0), 0.3f);
  }

  void a_diagonal_touch_is_another_object() {
    std::vector<float> p(8 * 8 * 6, 0.0f);
    p[static_cast<std::size_t>((1 * 8 + 1) * 8 + 1)] = 1.0f;
    p[static_cast<std::size_t>((2 * 8 + 2) * 8 + 2)] = 1.0f; // shares only a corner with (1, 1, 1)
    const ComponentLabels labels = labelComponents(std::vector<std::uint8_t>(p.begin(), p.end()), grid(8, 8, 6));
    QCOMPARE(labels.count, 2);
    QCOMPARE(keepClickedObjects(p, grid(8, 8, 6), {{1, 1, 1, true}}, 0.5), std::size_t{1});
    QCOMPARE(at(p, 2, 2, 2), 0.0f);
  }

  void the_result_is_the_union_of_the_labelled_objects_under_the_clicks() {
    // Noise thresholded into many objects of every shape, clicks here and there (some on background,
    // some off the grid): what is kept must be exactly the labelled objects that hold a positive click.
    const ImageGeometry g = grid(23, 17, 11);
    std::mt19937 random(7);
    std::uniform_real_distribution<float> value(0.0f, 1.0f);
    std::vector<float> p(g.voxelCount());
    for (float& v : p) v = value(random);
    p[5] = 0.5f; // exactly at the threshold: not an object
    std::vector<std::uint8_t> mask(p.size());
    for (std::size_t v = 0; v < p.size(); ++v) mask[v] = p[v] > 0.5f ? 1 : 0;
    const ComponentLabels labels = labelComponents(mask, g);
    QVERIFY(labels.count > 20);
    VolumeClickList clicks;
    std::uniform_real_distribution<double> position(-2.0, 25.0);
    for (int c = 0; c < 12; ++c) clicks.push_back({position(random), position(random) * 0.7, position(random) * 0.45, c % 3 != 0});
    std::vector<std::uint8_t> clicked(static_cast<std::size_t>(labels.count) + 1, 0);
    for (const auto& c : clicks) {
      if (!c.positive) continue;
      const auto at = [](double x, std::size_t n) { return static_cast<std::size_t>(std::clamp<long long>(std::llround(x), 0, static_cast<long long>(n) - 1)); };
      clicked[labels.labels[(at(c.k, 11) * 17 + at(c.j, 17)) * 23 + at(c.i, 23)]] = 1;
    }
    std::vector<float> expected = p;
    std::size_t expectedRemoved = 0;
    for (std::size_t v = 0; v < p.size(); ++v)
      if (mask[v] && !clicked[labels.labels[v]]) {
        expected[v] = 0.0f;
        ++expectedRemoved;
      }
    QVERIFY(expectedRemoved > 0 && expectedRemoved < static_cast<std::size_t>(std::count(mask.begin(), mask.end(), 1)));
    QCOMPARE(keepClickedObjects(p, g, clicks, 0.5), expectedRemoved);
    QVERIFY(p == expected);
  }

  void wrong_sizes_are_refused() {
    std::vector<float> p(10, 1.0f);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, keepClickedObjects(p, grid(8, 8, 6), {{0, 0, 0, true}}, 0.5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, keepingClickedObjects(nullptr));
    std::vector<float> none;
    QCOMPARE(keepClickedObjects(none, grid(0, 0, 0), {{0, 0, 0, true}}, 0.5), std::size_t{0}); // an empty grid: nothing to grow
  }

  void the_engine_wrapper_filters_every_round_with_clicks() {
    auto engine = keepingClickedObjects(std::make_unique<FixedEngine>(lesionAndFalseAlarm()));
    QCOMPARE(engine->name(), std::string("fixed"));
    const std::vector<float> voxels(8 * 8 * 6, 0.0f);
    engine->setImage(volumeImage(voxels.data(), {8, 8, 6}, {1.0, 1.0, 2.5}));
    QCOMPARE(test::refineVolume(*engine, {}, nullptr, voxels.size()), lesionAndFalseAlarm()); // the automatic round: untouched
    std::vector<float> clicked(voxels.size(), 0.0f);
    const VoxelBox written = engine->refine({{2, 2, 2, true}}, 0, clicked.data());
    QCOMPARE(at(clicked, 2, 2, 2), 0.9f);
    QCOMPARE(at(clicked, 7, 7, 5), 0.0f);
    QVERIFY(written.contains(7, 7, 5)); // the box says where the false alarm was removed too
  }
};

QTEST_GUILESS_MAIN(ClickedObjectsTest)
#include "clicked_objects_test.moc"
