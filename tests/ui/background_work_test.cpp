// File work off the GUI thread: the work runs on another thread while the GUI thread's timers keep
// firing (the window repaints), its result or its exception comes back to the caller.

#include "model/background_work.h"

#include <QTimer>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

using namespace medclick::ui;

class BackgroundWorkTest : public QObject {
  Q_OBJECT

private slots:
  void the_gui_thread_keeps_running_while_the_work_runs_elsewhere() {
    // The work finishes only after the GUI thread's timer fired three times: it can end only if the
    // GUI thread's events keep flowing meanwhile (bounded, so a regression fails instead of hanging).
    std::atomic<int> ticks{0};
    QTimer timer;
    timer.setInterval(5);
    connect(&timer, &QTimer::timeout, [&] { ++ticks; });
    timer.start();
    const auto gui = std::this_thread::get_id();
    const auto [worker, sawTicks] = runOffGuiThread([&ticks] {
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (ticks < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return std::pair{std::this_thread::get_id(), ticks.load()};
    });
    QVERIFY(worker != gui);
    QVERIFY2(sawTicks >= 3, "the GUI thread's events stopped while the work ran");
  }

  void results_and_errors_come_back() {
    QCOMPARE(runOffGuiThread([] { return std::string("read"); }), std::string("read"));
    bool ran = false;
    runOffGuiThread([&] { ran = true; });
    QVERIFY(ran);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, runOffGuiThread([]() -> int { throw std::runtime_error("unreadable"); }));
    // Work quicker than the event loop's start: no lost wake-up.
    for (int i = 0; i < 200; ++i) QCOMPARE(runOffGuiThread([i] { return i; }), i);
  }
};

QTEST_GUILESS_MAIN(BackgroundWorkTest)
#include "background_work_test.moc"
