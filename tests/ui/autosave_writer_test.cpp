// Autosave off the GUI thread: the state is built on the writer's thread, saves run one at a time
// and a newer request replaces one still waiting, a failed write is reported, and discard leaves
// nothing to recover even with a save in flight.

#include "model/autosave_writer.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

using namespace medclick;
using namespace medclick::ui;

namespace {

SavedSession sessionNamed(const std::string& imagePath) {
  ImageGeometry g;
  g.dimension = 2;
  g.size = {6, 4, 1};
  SavedSession s;
  s.imagePath = imagePath;
  s.model = "ikan";
  s.mask = LabelMask(g);
  s.mask.labels()[5] = 1;
  return s;
}

} // namespace

class AutosaveWriterTest : public QObject {
  Q_OBJECT

private slots:
  void saves_run_off_the_gui_thread_and_the_newest_wins() {
    QTemporaryDir folder;
    AutosaveWriter writer(folder.filePath("autosave").toStdString());
    std::atomic<int> built{0};
    std::atomic<bool> offGui{true};
    const auto gui = std::this_thread::get_id();
    const auto state = [&](std::string name) {
      return [&, name] {
        ++built;
        if (std::this_thread::get_id() == gui) offGui = false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return sessionNamed(name);
      };
    };
    writer.save(state("/first.png"));
    QVERIFY(writer.writing());
    writer.save(state("/second.png")); // waits
    writer.save(state("/third.png"));  // replaces the waiting one
    writer.waitUntilWritten();
    QVERIFY(!writer.writing());
    QCOMPARE(built.load(), 2);
    QVERIFY(offGui);
    QCOMPARE(writer.store().recover().imagePath, std::string("/third.png"));
    QCOMPARE(writer.store().recover().mask.countNonZero(), std::size_t(1));

    writer.save(state("/fourth.png"));
    writer.discard(); // the save in flight ends first: nothing is left behind
    QVERIFY(!writer.store().hasRecovery());
  }

  void a_failed_write_is_reported() {
    QTemporaryDir folder;
    const QString blocked = folder.filePath("not-a-folder");
    std::ofstream(blocked.toStdString()) << "a file where the autosave folder should be";
    AutosaveWriter writer(blocked.toStdString());
    QSignalSpy failed(&writer, &AutosaveWriter::failed);
    writer.save([] { return sessionNamed("/image.png"); });
    QVERIFY(failed.wait(5000));
    QVERIFY2(failed.first().first().toString().contains("not-a-folder"), qPrintable(failed.first().first().toString()));
    // A state that cannot be built (it throws) is a failed save too, not a crash.
    writer.save([]() -> SavedSession { throw std::runtime_error("the snapshot is gone"); });
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.last().first().toString(), QString("the snapshot is gone"));
  }
};

QTEST_GUILESS_MAIN(AutosaveWriterTest)
#include "autosave_writer_test.moc"
