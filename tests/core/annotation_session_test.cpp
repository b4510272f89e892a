// The annotation session: clicks and edits per slice, propagation, and undo/redo that restore
// probability and clicks exactly, over a random sequence of 200 operations.

#include "classic/watershed_engine.h"
#include "io/image_reader.h"
#include "session/annotation_session.h"
#include "support/test_engines.h"

#include <QtTest>

#include <filesystem>
#include <random>

using namespace medclick;

namespace {

// A deterministic stand-in for a network, so the session's bookkeeping is tested on its own:
// the previous probability, with disks of radius 2 set to 1 (positive) or 0 (negative) at each click.
class DiskEngine : public test::PlaneTestEngine {
public:
  std::string name() const override { return "disks"; }
  std::string deviceName() const override { return "cpu"; }
  void setImage(const float*, int width, int height, int) override {
    width_ = width;
    height_ = height;
    ++imagesSet;
  }
  std::vector<float> refine(const ClickList& clicks, size_t, const float* previous) override {
    std::vector<float> p(static_cast<size_t>(width_) * height_, 0.0f);
    if (previous) p.assign(previous, previous + p.size());
    for (const Click& c : clicks)
      for (int y = 0; y < height_; ++y)
        for (int x = 0; x < width_; ++x)
          if ((x - c.x) * (x - c.x) + (y - c.y) * (y - c.y) <= 4.0) p[static_cast<size_t>(y) * width_ + x] = c.positive ? 0.9f : 0.1f;
    return p;
  }
  int imagesSet = 0;

private:
  int width_ = 0, height_ = 0;
};

// A deterministic stand-in for a 3D network: the previous probability with balls of radius 1.5
// voxels set to 0.8 (positive) or 0.2 (negative) at each click; with no clicks, the centre voxel.
class BallEngine : public test::VolumeTestEngine {
public:
  std::string name() const override { return "balls"; }
  std::string deviceName() const override { return "cpu"; }
  void setVolume(const float*, const std::array<std::size_t, 3>& size, const std::array<double, 3>&) override {
    size_ = size;
    ++volumesSet;
  }
  std::vector<float> refine(const VolumeClickList& clicks, const float* previous) override {
    std::vector<float> p(size_[0] * size_[1] * size_[2], 0.0f);
    if (previous) p.assign(previous, previous + p.size());
    VolumeClickList all = clicks;
    if (all.empty()) all.push_back({double(size_[0] / 2), double(size_[1] / 2), double(size_[2] / 2), true});
    for (const VolumeClick& c : all)
      for (std::size_t k = 0; k < size_[2]; ++k)
        for (std::size_t j = 0; j < size_[1]; ++j)
          for (std::size_t i = 0; i < size_[0]; ++i) {
            const double d2 = (i - c.i) * (i - c.i) + (j - c.j) * (j - c.j) + (k - c.k) * (k - c.k);
            if (d2 <= 2.25) p[(k * size_[1] + j) * size_[0] + i] = c.positive ? 0.8f : 0.2f;
          }
    return p;
  }
  int volumesSet = 0;

private:
  std::array<std::size_t, 3> size_{};
};

// A deterministic stand-in for KM-UNet: 0.8 inside the middle third of the image, 0.1 elsewhere.
// It keeps the size and first pixel of what it was given.
class SquareSegmenter : public test::AutomaticTestEngine {
public:
  std::string name() const override { return "squares"; }
  std::string deviceName() const override { return "cpu"; }
  std::vector<float> predict(const float* pixels, int width, int height, int) override {
    seenWidth = width;
    seenHeight = height;
    firstPixel = pixels[0];
    std::vector<float> p(static_cast<size_t>(width) * height, 0.1f);
    for (int y = height / 3; y < 2 * height / 3; ++y)
      for (int x = width / 3; x < 2 * width / 3; ++x) p[static_cast<size_t>(y) * width + x] = 0.8f;
    return p;
  }
  int seenWidth = 0, seenHeight = 0;
  float firstPixel = -1;
};

// Keeps the channels and pixels it was given; answers "nothing".
class ChannelRecorder : public test::AutomaticTestEngine {
public:
  std::string name() const override { return "recorder"; }
  std::string deviceName() const override { return "cpu"; }
  std::vector<float> predict(const float* given, int width, int height, int count) override {
    channels = count;
    pixels.assign(given, given + static_cast<size_t>(width) * height * count);
    return std::vector<float>(static_cast<size_t>(width) * height, 0.0f);
  }
  int channels = 0;
  std::vector<float> pixels;
};

struct Snapshot {
  std::vector<float> probability;
  std::vector<ClickList> clicks; // of every slice of every axis, in a fixed order
};

std::vector<SliceRef> allSlices(const ImageGeometry& g) {
  std::vector<SliceRef> slices;
  for (const SliceAxis axis : {SliceAxis::Sagittal, SliceAxis::Coronal, SliceAxis::Axial})
    for (std::size_t i = 0; i < g.size[static_cast<int>(axis)]; ++i) slices.push_back({axis, i});
  return slices;
}

Snapshot snapshotOf(const AnnotationSession& session) {
  Snapshot s{session.probability(), {}};
  for (const auto& slice : allSlices(session.geometry())) s.clicks.push_back(session.clicks(slice));
  return s;
}

bool sameClicks(const ClickList& a, const ClickList& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].x != b[i].x || a[i].y != b[i].y || a[i].positive != b[i].positive) return false;
  return true;
}

bool same(const Snapshot& a, const Snapshot& b) {
  if (a.probability != b.probability || a.clicks.size() != b.clicks.size()) return false;
  for (size_t i = 0; i < a.clicks.size(); ++i)
    if (!sameClicks(a.clicks[i], b.clicks[i])) return false;
  return true;
}

Image volume() {
  Image image(ImageGeometry{3, {12, 10, 6}}, 1, PixelType::Int16);
  for (std::size_t i = 0; i < image.voxels().size(); ++i) image.voxels()[i] = static_cast<float>(i % 17);
  return image;
}

} // namespace

class AnnotationSessionTest : public QObject {
  Q_OBJECT

private slots:
  void undo_redo_restore_every_state_over_200_random_operations() {
    AnnotationSession session(volume());
    auto engine = std::make_shared<DiskEngine>();
    session.setEngine(engine);
    std::mt19937 random(11);
    const auto slices = allSlices(session.geometry());
    std::vector<Snapshot> timeline{snapshotOf(session)};
    size_t now = 0;
    int undos = 0, redos = 0;
    for (int op = 0; op < 200; ++op) {
      const int kind = std::uniform_int_distribution<int>(0, 9)(random);
      const SliceRef slice = slices[std::uniform_int_distribution<size_t>(0, slices.size() - 1)(random)];
      const SliceShape shape = sliceShape(session.geometry(), slice.axis);
      const double x = std::uniform_int_distribution<int>(0, static_cast<int>(shape.width) - 1)(random);
      const double y = std::uniform_int_distribution<int>(0, static_cast<int>(shape.height) - 1)(random);
      bool recorded = true;
      if (kind <= 3) {
        session.addClick(slice, {x, y, kind != 3});
      } else if (kind == 4) {
        session.paint(slice, x, y, 2.5, random() % 2 == 0);
      } else if (kind == 5) {
        if (random() % 2) session.clearSlice(slice); else session.fillHoles(slice);
      } else if (kind == 6) {
        recorded = session.propagate(slice, random() % 2 ? 1 : -1, true).has_value();
      } else if (kind <= 8) {
        recorded = false;
        if (session.canUndo()) {
          session.undo();
          --now;
          ++undos;
          QVERIFY2(same(snapshotOf(session), timeline[now]), qPrintable(QString("undo at operation %1").arg(op)));
        }
      } else {
        recorded = false;
        if (session.canRedo()) {
          session.redo();
          ++now;
          ++redos;
          QVERIFY2(same(snapshotOf(session), timeline[now]), qPrintable(QString("redo at operation %1").arg(op)));
        }
      }
      if (recorded) {
        timeline.resize(now + 1);
        timeline.push_back(snapshotOf(session));
        ++now;
        QVERIFY(!session.canRedo());
      }
    }
    QVERIFY2(undos > 10 && redos > 3, qPrintable(QString("%1 undos, %2 redos").arg(undos).arg(redos)));
    while (session.canUndo()) session.undo();
    QVERIFY(same(snapshotOf(session), timeline[0]));
    while (session.canRedo()) session.redo();
    QVERIFY(same(snapshotOf(session), timeline.back()));
    QVERIFY(engine->imagesSet < 200); // the engine gets a slice once, not once per click
  }

  void clicks_refine_their_slice_only_and_the_mask_follows_the_probability() {
    AnnotationSession session(volume());
    session.setEngine(std::make_shared<DiskEngine>());
    const SliceRef axial{SliceAxis::Axial, 3};
    session.addClick(axial, {5, 4, true});
    const LabelMask mask = session.mask();
    QCOMPARE(mask.at(5, 4, 3), std::uint8_t{1});
    QCOMPARE(mask.at(5, 4, 2), std::uint8_t{0});
    QCOMPARE(mask.countNonZero(), std::size_t{13}); // lattice points within radius 2
    QCOMPARE(session.clicks(axial).size(), std::size_t{1});
    session.addClick(axial, {5, 4, false});
    QCOMPARE(session.mask().at(5, 4, 3), std::uint8_t{0});
    session.paint({SliceAxis::Coronal, 4}, 6, 3, 1.0, true); // coronal slice j = 4: pixel (i = 6, k = 3)
    QCOMPARE(session.mask().at(6, 4, 3), std::uint8_t{1});
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, session.addClick(axial, {12, 0, true}));
  }

  void an_automatic_mask_is_one_undo_step_and_the_next_click_refines_it() {
    Image image(ImageGeometry{2, {30, 21, 1}}, 1, PixelType::UInt8);
    for (std::size_t i = 0; i < image.voxels().size(); ++i) image.voxels()[i] = static_cast<float>(i % 7 + 3);
    AnnotationSession session(image);
    const SliceRef only{SliceAxis::Axial, 0};
    QVERIFY_THROWS_EXCEPTION(std::logic_error, session.autoSegmentSlice(only));
    session.setEngine(std::make_shared<DiskEngine>());
    auto segmenter = std::make_shared<SquareSegmenter>();
    session.setAutomaticEngine(segmenter);
    session.addClick(only, {2, 2, true}); // earlier work: the automatic mask replaces it
    const Snapshot clicked = snapshotOf(session);

    session.autoSegmentSlice(only);
    QCOMPARE(segmenter->seenWidth, 30);
    QCOMPARE(segmenter->seenHeight, 21);
    QCOMPARE(segmenter->firstPixel, 3.0f);
    QVERIFY(session.clicks(only).empty());
    const Snapshot automatic = snapshotOf(session);
    QCOMPARE(session.probability()[7 * 30 + 10], 0.8f);
    QCOMPARE(session.probability()[2 * 30 + 2], 0.1f); // the click's disk is gone
    QCOMPARE(session.mask().countNonZero(), std::size_t{10 * 7});

    // Round one of the click refines the automatic probability (the disk engine keeps its previous
    // probability and paints a disk): the square stays, the disk joins it.
    session.addClick(only, {25, 18, true});
    QCOMPARE(session.clicks(only).size(), std::size_t{1});
    QCOMPARE(session.probability()[7 * 30 + 10], 0.8f);
    QCOMPARE(session.probability()[18 * 30 + 25], 0.9f);
    QCOMPARE(session.mask().countNonZero(), std::size_t{10 * 7 + 13});

    session.undo();
    QVERIFY(same(snapshotOf(session), automatic));
    session.undo();
    QVERIFY(same(snapshotOf(session), clicked));
    session.redo();
    QVERIFY(same(snapshotOf(session), automatic));
  }

  void an_automatic_mask_of_a_volume_slice_changes_that_slice_only() {
    AnnotationSession session(volume());
    auto segmenter = std::make_shared<SquareSegmenter>();
    session.setAutomaticEngine(segmenter);
    session.autoSegmentSlice({SliceAxis::Coronal, 4}); // i along the width, k along the height
    QCOMPARE(segmenter->seenWidth, 12);
    QCOMPARE(segmenter->seenHeight, 6);
    QCOMPARE(session.mask().at(5, 4, 3), std::uint8_t{1});
    QCOMPARE(session.mask().at(5, 3, 3), std::uint8_t{0});
    QCOMPARE(session.mask().countNonZero(), std::size_t{4 * 2});
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, session.autoSegmentSlice({SliceAxis::Coronal, 10}));
  }

  void further_modalities_reach_the_automatic_segmenter_as_channels_after_the_image() {
    AnnotationSession session(volume());
    Image second(session.geometry(), 1, PixelType::Float32);
    for (std::size_t i = 0; i < second.voxels().size(); ++i) second.voxels()[i] = 1000.0f + static_cast<float>(i);
    session.setExtraModalities({second});
    QCOMPARE(session.modalityCount(), std::size_t{2});
    auto segmenter = std::make_shared<ChannelRecorder>();
    session.setAutomaticEngine(segmenter);
    session.autoSegmentSlice({SliceAxis::Axial, 2});
    QCOMPARE(segmenter->channels, 2);
    // Pixel (x 3, y 1) of axial slice 2 is voxel (3, 1, 2): index (2·10 + 1)·12 + 3 = 255.
    const std::size_t pixel = 1 * 12 + 3, voxel = 255;
    QCOMPARE(segmenter->pixels[pixel * 2], session.image().voxels()[voxel]);
    QCOMPARE(segmenter->pixels[pixel * 2 + 1], 1000.0f + static_cast<float>(voxel));
    // Another grid is refused.
    ImageGeometry other = session.geometry();
    other.spacing[2] = 2.0;
    QVERIFY_THROWS_EXCEPTION(std::exception, session.setExtraModalities({Image(other, 1, PixelType::Float32)}));
  }

  void propagation_carries_the_mask_with_a_centre_click() {
    AnnotationSession session(volume());
    session.setEngine(std::make_shared<DiskEngine>());
    const SliceRef slice{SliceAxis::Axial, 2};
    session.paint(slice, 6, 5, 3.0, true);
    const auto next = session.propagate(slice, 1, true);
    QVERIFY(next && next->index == 3);
    QCOMPARE(session.clicks(*next).size(), std::size_t{1});
    QCOMPARE(session.clicks(*next)[0].x, 6.0);
    QCOMPARE(session.clicks(*next)[0].y, 5.0);
    QCOMPARE(session.mask().at(6, 7, 3), std::uint8_t{1}); // carried from slice 2 (3 px from the centre)
    QVERIFY(!session.propagate({SliceAxis::Axial, 5}, 1, true)); // edge of the volume
    QVERIFY(!session.propagate({SliceAxis::Axial, 0}, 1, true)); // nothing to carry
  }

  void fill_closes_holes_but_not_open_background() {
    AnnotationSession session(volume());
    const SliceRef slice{SliceAxis::Axial, 1};
    session.paint(slice, 5, 5, 3.0, true);
    session.paint(slice, 5, 5, 1.0, false); // a hole in the middle
    session.paint(slice, 0, 0, 1.5, true);  // a blob touching the corner
    QCOMPARE(session.mask().at(5, 5, 1), std::uint8_t{0});
    const auto before = session.mask().countNonZero();
    session.fillHoles(slice);
    QCOMPARE(session.mask().at(5, 5, 1), std::uint8_t{1});
    QCOMPARE(session.mask().countNonZero(), before + 5); // the 5 pixels within radius 1
    session.undo();
    QCOMPARE(session.mask().countNonZero(), before);
  }

  void volume_clicks_refine_the_whole_volume_as_one_undo_step() {
    AnnotationSession session(volume());
    auto engine = std::make_shared<BallEngine>();
    session.setEngine(engine);
    session.setAutomaticEngine(engine); // the stand-in, like CAISeg, also segments without clicks
    session.paint({SliceAxis::Axial, 0}, 1, 1, 0.5, true); // a 2D edit first: it must survive the 3D steps' undo
    session.addVolumeClick({5, 4, 2, true});
    QCOMPARE(session.mask().at(5, 4, 2), std::uint8_t{1});
    QCOMPARE(session.mask().at(5, 4, 3), std::uint8_t{1}); // a neighbouring slice changed too: 3D
    const std::size_t afterFirst = session.mask().countNonZero();
    session.addVolumeClick({5, 4, 3, false});
    QCOMPARE(session.mask().at(5, 4, 3), std::uint8_t{0});
    QCOMPARE(session.volumeClicks().size(), std::size_t{2});
    QCOMPARE(engine->volumesSet, 1); // the volume is handed over once, not per click
    QVERIFY(session.undo().isWholeVolume());
    QCOMPARE(session.mask().countNonZero(), afterFirst);
    QCOMPARE(session.volumeClicks().size(), std::size_t{1});
    session.undo();
    QCOMPARE(session.mask().countNonZero(), std::size_t{1}); // the brushed voxel only
    QVERIFY(session.volumeClicks().empty());
    session.redo();
    session.redo();
    QCOMPARE(session.volumeClicks().size(), std::size_t{2});
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, session.addVolumeClick({5, 4, 99, true}));
    session.autoSegmentVolume(); // no clicks: the stand-in marks the centre
    QCOMPARE(session.volumeClicks().size(), std::size_t{0});
  }

  void a_brush_stroke_is_one_undo_step() {
    AnnotationSession session(volume());
    const SliceRef slice{SliceAxis::Axial, 2};
    session.paintStroke(slice, {{2, 2}, {3, 2}, {8, 6}}, 1.0, true);
    // Disks of radius 1 (5 pixels each) at (2,2) and (3,2) overlap in 2 pixels; (8,6) adds 5.
    QCOMPARE(session.mask().countNonZero(), std::size_t{13});
    QCOMPARE(session.mask().at(8, 7, 2), std::uint8_t{1});
    QCOMPARE(session.history().size(), std::size_t{1});
    session.undo();
    QCOMPARE(session.mask().countNonZero(), std::size_t{0});
  }

  void history_stays_within_its_byte_budget() {
    Image big(ImageGeometry{2, {256, 256, 1}}, 1, PixelType::UInt8);
    std::mt19937 random(3);
    for (auto& v : big.voxels()) v = static_cast<float>(random() % 255);
    AnnotationSession session(big, 64 * 1024);
    session.setEngine(std::make_shared<DiskEngine>());
    for (int i = 0; i < 50; ++i) session.paint({}, random() % 256, random() % 256, 20, i % 3 != 0);
    QVERIFY(session.history().storedBytes() <= 64u * 1024u + 1024u);
    QVERIFY(session.history().size() < 50);
    QVERIFY(session.canUndo());
  }

  // Issue 22: a 3D click stores its patch, not two volumes, and the click list is stored as edits,
  // so 1,000 clicks on a volume stay far inside the budget and every step can still be undone.
  void a_long_3d_session_stores_only_changed_regions() {
    Image big(ImageGeometry{3, {96, 96, 64}}, 1, PixelType::Int16);
    const std::size_t budget = 8u << 20;
    AnnotationSession session(big, budget);
    session.setEngine(std::make_shared<test::PatchEngine>(3.0));
    std::mt19937 random(22);
    std::vector<std::vector<float>> probabilities{session.probability()};
    for (int n = 0; n < 1000; ++n) {
      session.addVolumeClick({double(random() % 96), double(random() % 96), double(random() % 64), n % 4 != 3});
      if (n < 20) probabilities.push_back(session.probability());
      // A 7-voxel ball's box in the history, never the volume (96*96*64 floats = 2.4 MB).
      QVERIFY(session.lastChange().voxelCount() <= 7u * 7u * 7u);
    }
    QCOMPARE(session.history().size(), std::size_t{1000}); // nothing had to go
    // Each step: its compressed patch twice and one click, about 1 KB; whole volumes would be 5 MB.
    QVERIFY2(session.history().storedBytes() < 1000u * 2048u, qPrintable(QString::number(session.history().storedBytes())));
    QVERIFY(session.history().storedBytes() <= budget);
    for (int n = 0; n < 980; ++n) session.undo();
    for (int n = 20; n >= 0; --n) {
      QVERIFY(session.probability() == probabilities[std::size_t(n)]);
      QCOMPARE(session.volumeClicks().size(), std::size_t(n));
      if (n > 0) session.undo();
    }
    QVERIFY(!session.canUndo());
    session.redo();
    QVERIFY(session.probability() == probabilities[1]);
  }

  // One click path for every engine: a 3D click engine takes the voxel under a slice click and
  // refines the whole volume; slice work that needs a 2D model says so; an automatic-only engine
  // cannot be the click engine.
  void a_slice_click_goes_to_a_3d_engine_as_its_voxel() {
    Image big(ImageGeometry{3, {40, 30, 20}}, 1, PixelType::Int16);
    AnnotationSession session(big);
    session.setEngine(std::make_shared<test::PatchEngine>(2.0));
    QVERIFY(session.clicksRefineVolume());
    session.addClick({SliceAxis::Coronal, 7}, {12, 5, true}); // coronal: column i, row k
    QCOMPARE(session.volumeClicks().size(), std::size_t{1});
    QCOMPARE(session.volumeClicks()[0].i, 12.0);
    QCOMPARE(session.volumeClicks()[0].j, 7.0);
    QCOMPARE(session.volumeClicks()[0].k, 5.0);
    QCOMPARE(session.mask().at(12, 7, 5), std::uint8_t{1});
    QVERIFY(session.clicks({SliceAxis::Coronal, 7}).empty()); // a 3D click, not the slice's
    QVERIFY((session.lastChange().begin == std::array<std::size_t, 3>{10, 5, 3}));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, session.propagate({SliceAxis::Coronal, 7}, 1, true));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, session.setEngine(std::make_shared<SquareSegmenter>()));
  }

  void the_history_drops_its_oldest_3d_steps_at_the_budget() {
    Image big(ImageGeometry{3, {64, 64, 32}}, 1, PixelType::Int16);
    AnnotationSession session(big, 64u * 1024u);
    session.setEngine(std::make_shared<test::PatchEngine>(6.0));
    std::mt19937 random(5);
    for (int n = 0; n < 400; ++n) session.addVolumeClick({double(random() % 64), double(random() % 64), double(random() % 32), true});
    QVERIFY(session.history().storedBytes() <= 64u * 1024u);
    QVERIFY(session.history().size() < 400);
    QVERIFY(session.canUndo());
  }

  void session_with_the_classical_engine_on_real_ultrasound() {
    const std::string path = std::string(MEDCLICK_SHARED_DATA) + "/busi/benign/benign (1).png";
    if (!std::filesystem::exists(path)) QSKIP("../shared/data is not beside this checkout");
    AnnotationSession session(readImage(path));
    session.setEngine(createWatershedEngine());
    session.addClick({}, {300, 150, true});
    QVERIFY(session.mask().countNonZero() > 0);
    session.undo();
    QCOMPARE(session.mask().countNonZero(), std::size_t{0});
    QVERIFY(session.canRedo());
  }
};

QTEST_GUILESS_MAIN(AnnotationSessionTest)
#include "annotation_session_test.moc"
