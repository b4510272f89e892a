// Several segments in one session (issue 23): every edit acts on the active segment and never changes
// another segment's voxels (or, when unlocked segments may be overwritten, never a locked one's),
// over random sequences of clicks, brush and eraser strokes, fills, propagation, fill between slices,
// segment switches, lock toggles, undo and redo; undo and redo restore the label map exactly across
// segments; each segment keeps its own clicks and previous probability.

#include "session/annotation_session.h"
#include "support/test_engines.h"
#include "support/test_images.h"

#include <QtTest>

#include <random>

using namespace medclick;

namespace {

// A stand-in network that reaches far: a positive click sets a disk of radius 5 to 0.95 and a negative
// one a disk of radius 2 to 0.05, over the previous probability. Its disks cross other segments, so
// only the session's write rule keeps them.
class WideDiskEngine : public test::PlaneTestEngine {
public:
  std::string name() const override { return "wide disks"; }
  std::string deviceName() const override { return "cpu"; }
  void setImage(const float*, int width, int height, int) override {
    width_ = width;
    height_ = height;
  }
  std::vector<float> refine(const ClickList& clicks, size_t, const float* previous) override {
    std::vector<float> p(previous, previous + static_cast<size_t>(width_) * height_);
    for (const Click& c : clicks) {
      const double r = c.positive ? 5.0 : 2.0;
      for (int y = 0; y < height_; ++y)
        for (int x = 0; x < width_; ++x)
          if ((x - c.x) * (x - c.x) + (y - c.y) * (y - c.y) <= r * r) p[static_cast<size_t>(y) * width_ + x] = c.positive ? 0.95f : 0.05f;
    }
    return p;
  }

private:
  int width_ = 0, height_ = 0;
};

ImageGeometry volumeGrid() {
  ImageGeometry g;
  g.dimension = 3;
  g.size = {16, 14, 8};
  g.spacing = {1.0, 1.0, 2.0};
  return g;
}

// The active segment's voxels are exactly its probability above 0.5 (what its next click sees).
bool probabilityMatchesLabels(const AnnotationSession& session) {
  const LabelMask mask = session.mask();
  const auto& labels = mask.labels();
  const auto& p = session.probability();
  for (std::size_t v = 0; v < labels.size(); ++v)
    if ((labels[v] == session.activeSegment()) != (p[v] > 0.5f)) return false;
  return true;
}

Segment lockedCopy(const AnnotationSession& session, Label label, bool locked) {
  Segment s = session.segments().get(label);
  s.locked = locked;
  return s;
}

} // namespace

class MultiLabelSessionTest : public QObject {
  Q_OBJECT

  // One random run: `steps` operations on three segments in `mode`.
  void randomRun(OverwriteMode mode, unsigned seed, int steps, bool volumeEngine) {
    const ImageGeometry g = volumeGrid();
    AnnotationSession session(testing::rampImage(g, PixelType::Int16));
    session.setOverwriteMode(mode);
    if (volumeEngine)
      session.setEngine(std::make_shared<test::PatchEngine>(3.0));
    else
      session.setEngine(std::make_shared<WideDiskEngine>());
    QCOMPARE(session.addSegment(Segment{0, "Lesion", {0, 255, 0}, 1.0, true, true, false}), Label(2));
    QCOMPARE(session.addSegment(Segment{0, "Vessel", {0, 0, 255}, 1.0, true, true, false}), Label(3));

    std::mt19937 random(seed);
    const auto uniform = [&](double low, double high) { return std::uniform_real_distribution<double>(low, high)(random); };
    const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(random); };
    const auto sliceCount = [&](SliceAxis axis) {
      return static_cast<int>(axis == SliceAxis::Axial ? g.size[2] : axis == SliceAxis::Coronal ? g.size[1] : g.size[0]);
    };
    const auto randomSlice = [&] {
      const auto axis = static_cast<SliceAxis>(pick(3));
      return SliceRef{axis, static_cast<std::size_t>(pick(sliceCount(axis)))};
    };
    const auto randomPoint = [&](const SliceRef& slice) {
      const SliceShape shape = sliceShape(g, slice.axis);
      return std::pair<double, double>{uniform(0, shape.width - 1.0), uniform(0, shape.height - 1.0)};
    };

    // The label map after each recorded step, for undo and redo.
    std::vector<std::vector<Label>> states{session.mask().labels()};
    std::size_t cursor = 0;
    int edits = 0, refused = 0, undos = 0, redos = 0, overwrites = 0;
    for (int step = 0; step < steps; ++step) {
      const std::vector<Label> before = session.mask().labels();
      const Label active = session.activeSegment();
      const bool activeLocked = session.segments().get(active).locked;
      bool recorded = false, isEdit = true;
      const SliceRef slice = randomSlice();
      const auto [x, y] = randomPoint(slice);
      const int operation = pick(10);
      try {
        switch (operation) {
        case 0: case 1: case 2:
          session.addClick(slice, {std::round(x), std::round(y), pick(4) != 0});
          recorded = true;
          break;
        case 3:
          session.paintStroke(slice, {{x, y}, randomPoint(slice)}, uniform(0.5, 4.0), pick(3) != 0);
          recorded = true;
          break;
        case 4:
          if (pick(2)) session.fillHoles(slice); else session.clearSlice(slice);
          recorded = true;
          break;
        case 5: // propagation needs a 2D model; with the 3D one, an eraser stroke
          if (volumeEngine)
            session.paintStroke(slice, {{x, y}}, uniform(0.5, 3.0), false);
          recorded = volumeEngine || session.propagate(slice, pick(2) ? 1 : -1, true).has_value();
          break;
        case 6: {
          const SliceRef other{slice.axis, static_cast<std::size_t>(pick(sliceCount(slice.axis)))};
          try {
            recorded = !session.fillBetweenSlices(slice, other).empty();
          } catch (const std::invalid_argument&) { // the segment is not drawn on both slices: nothing changes
            QVERIFY(session.mask().labels() == before);
          }
          break;
        }
        case 7: // another segment becomes active, or a segment's lock flips
          isEdit = false;
          if (pick(2))
            session.setActiveSegment(static_cast<Label>(1 + pick(3)));
          else {
            const Label label = static_cast<Label>(1 + pick(3));
            session.updateSegment(lockedCopy(session, label, !session.segments().get(label).locked));
          }
          break;
        default: // undo or redo
          isEdit = false;
          if (pick(2) && session.canUndo()) {
            session.undo();
            --cursor;
            ++undos;
            QVERIFY2(session.mask().labels() == states[cursor], qPrintable(QString("undo at step %1").arg(step)));
          } else if (session.canRedo()) {
            session.redo();
            ++cursor;
            ++redos;
            QVERIFY2(session.mask().labels() == states[cursor], qPrintable(QString("redo at step %1").arg(step)));
          }
          break;
        }
      } catch (const std::logic_error& e) { // a locked active segment refuses every edit
        QVERIFY2(activeLocked && isEdit, e.what());
        QVERIFY(QString(e.what()).contains("locked"));
        QVERIFY(session.mask().labels() == before);
        ++refused;
        continue;
      }
      // An edit that had nothing to do (propagation from an empty slice) may pass a locked segment.
      QVERIFY2(!(isEdit && activeLocked && recorded), qPrintable(QString("a locked segment was edited at step %1").arg(step)));
      QVERIFY2(probabilityMatchesLabels(session), qPrintable(QString("step %1, operation %2").arg(step).arg(operation)));
      if (!isEdit) continue;
      ++edits;
      const std::vector<Label> after = session.mask().labels();
      for (std::size_t v = 0; v < after.size(); ++v) {
        if (before[v] == 0 || before[v] == active || after[v] == before[v]) continue;
        // Another segment's voxel changed: only the active label may take it, and only when allowed.
        QVERIFY2(mode == OverwriteMode::UnlockedSegments, qPrintable(QString("step %1 overwrote label %2").arg(step).arg(before[v])));
        QVERIFY2(!session.segments().get(before[v]).locked, qPrintable(QString("step %1 overwrote locked label %2").arg(step).arg(before[v])));
        QCOMPARE(after[v], active);
        ++overwrites;
      }
      if (recorded) {
        states.resize(cursor + 1);
        states.push_back(after);
        ++cursor;
      }
    }
    qInfo("seed %u: %d edits, %d refused as locked, %d undos, %d redos, %d voxels of unlocked segments taken", seed, edits, refused,
          undos, redos, overwrites);
    QVERIFY(edits > steps / 3 && refused > 0 && undos > 10 && redos > 0);
    if (mode == OverwriteMode::UnlockedSegments) QVERIFY(overwrites > 0); // the rule was exercised, not idle
  }

private slots:
  void other_segments_are_never_overwritten() {
    for (unsigned seed : {1u, 2u, 3u}) randomRun(OverwriteMode::Background, seed, 400, false);
  }

  void locked_segments_are_never_overwritten_when_others_may_be() {
    for (unsigned seed : {4u, 5u, 6u}) randomRun(OverwriteMode::UnlockedSegments, seed, 400, false);
  }

  void three_d_clicks_obey_the_same_rule() {
    randomRun(OverwriteMode::Background, 7, 200, true);
    randomRun(OverwriteMode::UnlockedSegments, 8, 200, true);
  }

  void each_segment_keeps_its_clicks_and_probability() {
    ImageGeometry g = volumeGrid();
    g.dimension = 2;
    g.size[2] = 1;
    AnnotationSession session(testing::rampImage(g, PixelType::Int16));
    session.setEngine(std::make_shared<WideDiskEngine>());
    const SliceRef plane{SliceAxis::Axial, 0};
    session.addClick(plane, {4, 4, true});
    const std::vector<float> first = session.probability();
    const Label second = session.addSegment(Segment{0, "", {0, 255, 0}, 1.0, true, true, false});
    QCOMPARE(session.segments().get(second).name, std::string("Segment 2"));
    QCOMPARE(session.activeSegment(), Label(1)); // adding does not switch
    session.setActiveSegment(second);
    QVERIFY(session.clicks(plane).empty());
    session.addClick(plane, {11, 9, true}); // its disk overlaps segment 1's: those voxels stay segment 1's
    QCOMPARE(session.mask().at(4, 4), Label(1));
    QCOMPARE(session.mask().at(11, 9), Label(2));
    QCOMPARE(session.mask().at(8, 6), Label(1)); // 4.5 px from (4, 4) and from (11, 9): inside both disks
    QCOMPARE(session.probability()[6 * 16 + 8], 0.0f);
    session.setActiveSegment(1);
    QCOMPARE(session.clicks(plane).size(), std::size_t(1));
    QVERIFY(session.probability() == first); // its soft probability, not a 0/1 copy of its voxels
    // Undo across segments: the last step was segment 2's, so undo makes it active again.
    session.undo();
    QCOMPARE(session.activeSegment(), second);
    QVERIFY(session.clicks(plane).empty());
    QCOMPARE(session.mask().at(11, 9), Label(0));
    QCOMPARE(session.mask().at(4, 4), Label(1));
  }

  void a_locked_active_segment_refuses_edits_and_removal_clears_its_voxels() {
    ImageGeometry g = volumeGrid();
    AnnotationSession session(testing::rampImage(g, PixelType::Int16));
    session.setEngine(std::make_shared<WideDiskEngine>());
    const SliceRef slice{SliceAxis::Axial, 3};
    session.paint(slice, 5, 5, 2, true);
    const Label second = session.addSegment(Segment{0, "", {0, 255, 0}, 1.0, true, true, false});
    session.setActiveSegment(second);
    session.paint(slice, 12, 10, 2, true);
    session.updateSegment(lockedCopy(session, second, true));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, session.addClick(slice, {12, 10, false}));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, session.paint(slice, 12, 10, 2, false));
    QCOMPARE(session.mask().at(12, 10, 3), second);
    QVERIFY(session.canUndo()); // undo is not an edit: it still works on a locked segment
    session.removeSegment(second);
    QCOMPARE(session.activeSegment(), Label(1));
    QCOMPARE(session.mask().at(12, 10, 3), Label(0));
    QCOMPARE(session.mask().at(5, 5, 3), Label(1));
    QVERIFY(!session.canUndo());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, session.removeSegment(1)); // the last one stays
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, session.setActiveSegment(9));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, session.addSegment(Segment{1, "twice", {1, 2, 3}, 1.0, true, true, false}));
  }

  void a_loaded_label_map_becomes_segments() {
    ImageGeometry g = volumeGrid();
    LabelMask map(g);
    map.labels()[10] = 4;
    map.labels()[20] = 700;
    AnnotationSession session(testing::rampImage(g, PixelType::Int16));
    session.loadMask(map);
    QCOMPARE(session.segments().size(), std::size_t(3)); // 1 (the new session's), 4 and 700
    QVERIFY(session.segments().contains(4) && session.segments().contains(700));
    QCOMPARE(session.segments().get(700).name, std::string("Segment 700"));
    session.setActiveSegment(700);
    QVERIFY(probabilityMatchesLabels(session));
    QCOMPARE(session.probability()[20], 1.0f);
  }

  void fill_between_slices_is_one_step_of_the_active_segment() {
    const ImageGeometry g = volumeGrid();
    AnnotationSession session(testing::rampImage(g, PixelType::Int16));
    const Label lesion = session.addSegment(Segment{0, "Lesion", {0, 255, 0}, 1.0, true, true, false});
    session.paint({SliceAxis::Axial, 3}, 10, 7, 1.5, true); // segment 1 in the lesion's way on slice 3
    session.setActiveSegment(lesion);
    session.paint({SliceAxis::Axial, 1}, 10, 7, 3, true);
    session.paint({SliceAxis::Axial, 6}, 10, 7, 3, true);
    const auto before = session.mask().labels();
    const VoxelBox box = session.fillBetweenSlices({SliceAxis::Axial, 1}, {SliceAxis::Axial, 6});
    QCOMPARE(box.begin[2], std::size_t(2));
    QCOMPARE(box.end[2], std::size_t(6));
    for (std::size_t k : {2, 4, 5}) QCOMPARE(session.mask().at(12, 7, k), lesion);
    QCOMPARE(session.mask().at(12, 7, 3), lesion);
    QCOMPARE(session.mask().at(10, 7, 3), Label(1)); // never overwritten
    QVERIFY(probabilityMatchesLabels(session));
    session.undo();
    QVERIFY(session.mask().labels() == before);
  }
};

QTEST_GUILESS_MAIN(MultiLabelSessionTest)
#include "multi_label_session_test.moc"
