// The session controller's snapshots: after every operation the snapshot's label map is the
// session's, though the controller writes it in place or into the mask of the snapshot before
// (double buffering, so a 3D click costs its box and not a volume copy); and a snapshot someone
// still holds never changes under them.

#include "model/session_controller.h"
#include "support/test_engines.h"
#include "support/test_images.h"

#include <QtTest>

#include <random>

using namespace medclick;
using namespace medclick::ui;

class SessionControllerTest : public QObject {
  Q_OBJECT

private slots:
  void every_snapshot_is_the_session_and_held_snapshots_stay_as_they_were() {
    ImageGeometry g;
    g.dimension = 3;
    g.size = {40, 36, 24};
    const auto image = std::make_shared<Image>(testing::rampImage(g, PixelType::Int16));
    SessionController controller;
    controller.chooseEngine([] { return std::make_shared<test::PatchEngine>(4.0); });
    controller.openImage(image);
    controller.waitUntilIdle();
    // The same operations on a session of our own: the truth each snapshot must show.
    AnnotationSession truth(*image);
    truth.setEngine(std::make_shared<test::PatchEngine>(4.0));

    std::mt19937 random(5);
    const auto uniform = [&](double high) { return std::uniform_real_distribution<double>(0, high)(random); };
    std::vector<std::pair<SnapshotPtr, std::vector<Label>>> held; // snapshots a view might still show
    for (int step = 0; step < 120; ++step) {
      const SliceRef slice{SliceAxis::Axial, static_cast<std::size_t>(random() % g.size[2])};
      const double x = uniform(g.size[0] - 1.0), y = uniform(g.size[1] - 1.0);
      switch (random() % 5) {
      case 0:
      case 1: {
        const Click click{x, y, random() % 3 != 0};
        controller.addClick(slice, click);
        truth.addClick(slice, click);
        break;
      }
      case 2: {
        const bool object = random() % 2 == 0;
        controller.paint(slice, x, y, 3.0, object);
        truth.paint(slice, x, y, 3.0, object);
        break;
      }
      case 3:
        controller.undo();
        if (truth.canUndo()) truth.undo();
        break;
      default:
        controller.addSegment(); // later edits go to a new segment, as the dock's Add does
        truth.setActiveSegment(truth.addSegment(SegmentList::makeDefault(static_cast<Label>(truth.segments().size() + 1))));
        break;
      }
      controller.waitUntilIdle();
      const SnapshotPtr snapshot = controller.snapshot();
      QVERIFY(snapshot);
      QVERIFY2(snapshot->mask().labels() == truth.mask().labels(), qPrintable(QString("step %1").arg(step)));
      if (step % 7 == 0) held.push_back({snapshot, snapshot->mask().labels()});
      for (const auto& [old, labels] : held) QVERIFY2(old->mask().labels() == labels, qPrintable(QString("a held snapshot changed at step %1").arg(step)));
    }
  }
};

QTEST_MAIN(SessionControllerTest)
#include "session_controller_test.moc"
