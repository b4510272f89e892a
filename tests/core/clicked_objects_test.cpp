// Keeping the objects that hold a positive click: a clicked object stays whole, an unclicked one goes,
// faint values and the result without any positive click are left alone, a click on background keeps
// nothing, and the engine wrapper applies it to what any 3D engine returns.

#include "segmentation/clicked_objects.h"
#include "segmentation/connected_components.h"

#include <QtTest>

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
class FixedEngine : public VolumeInteractiveEngine {
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
    QCOMPARE(keepClickedObjects(p, grid(8, 8, 6), {{1.6, 1.2, 2.7, true}, {7, 7, 5, false}}, 0.5), 1);
    QCOMPARE(at(p, 1, 1, 1), 0.9f);
    QCOMPARE(at(p, 2, 2, 3), 0.9f);
    QCOMPARE(at(p, 7, 7, 5), 0.0f);
    QCOMPARE(at(p, 1, 6, 0), 0.3f);
  }

  void two_clicked_objects_both_stay() {
    std::vector<float> p = lesionAndFalseAlarm();
    QCOMPARE(keepClickedObjects(p, grid(8, 8, 6), {{1, 1, 1, true}, {7, 7, 5, true}}, 0.5), 0);
    QCOMPARE(p, lesionAndFalseAlarm());
  }

  void without_a_positive_click_nothing_is_removed() {
    std::vector<float> p = lesionAndFalseAlarm();
    QCOMPARE(keepClickedObjects(p, grid(8, 8, 6), {}, 0.5), 0);
    QCOMPARE(keepClickedObjects(p, grid(8, 8, 6), {{7, 7, 5, false}}, 0.5), 0);
    QCOMPARE(p, lesionAndFalseAlarm());
  }

  void a_positive_click_on_background_keeps_no_object() {
    std::vector<float> p = lesionAndFalseAlarm();
    QCOMPARE(keepClickedObjects(p, grid(8, 8, 6), {{5, 5, 0, true}}, 0.5), 2);
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
    QCOMPARE(keepClickedObjects(p, grid(8, 8, 6), {{1, 1, 1, true}}, 0.5), 1);
    QCOMPARE(at(p, 2, 2, 2), 0.0f);
  }

  void wrong_sizes_are_refused() {
    std::vector<float> p(10, 1.0f);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, keepClickedObjects(p, grid(8, 8, 6), {{0, 0, 0, true}}, 0.5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, keepingClickedObjects(nullptr));
  }

  void the_engine_wrapper_filters_every_round_with_clicks() {
    auto engine = keepingClickedObjects(std::make_unique<FixedEngine>(lesionAndFalseAlarm()));
    QCOMPARE(engine->name(), std::string("fixed"));
    const std::vector<float> voxels(8 * 8 * 6, 0.0f);
    engine->setVolume(voxels.data(), {8, 8, 6}, {1.0, 1.0, 2.5});
    QCOMPARE(engine->refine({}, nullptr), lesionAndFalseAlarm()); // the automatic round: untouched
    const auto clicked = engine->refine({{2, 2, 2, true}}, nullptr);
    QCOMPARE(at(clicked, 2, 2, 2), 0.9f);
    QCOMPARE(at(clicked, 7, 7, 5), 0.0f);
  }
};

QTEST_GUILESS_MAIN(ClickedObjectsTest)
#include "clicked_objects_test.moc"
