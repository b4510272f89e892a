#pragma once
// Autosave without stalling the GUI: each save runs on its own thread (a volume's mask takes a
// moment to compress), one at a time; a save asked for while one is written waits, and a newer
// request replaces one still waiting (only the newest state matters). The state is built on the
// writer's thread too, so the GUI thread never copies the mask.

#include "session/autosave_store.h"

#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

namespace medclick::ui {

class AutosaveWriter : public QObject {
  Q_OBJECT

public:
  explicit AutosaveWriter(std::string folder, QObject* parent = nullptr);
  ~AutosaveWriter() override; // finishes the save being written

  const AutosaveStore& store() const { return store_; }
  bool writing() const { return running_ != nullptr; }

  // `state` runs on the writer's thread; it must own (share) everything it reads.
  void save(std::function<SavedSession()> state);
  void waitUntilWritten(); // blocks until no save runs or waits
  void discard();          // after the saves in flight: nothing left to recover (a clean close)

signals:
  void failed(QString message); // a save that did not reach the disk; the next one tries again

private:
  struct Job;
  void start(std::function<SavedSession()> state);
  void finished(std::uint64_t job);

  AutosaveStore store_;
  std::unique_ptr<QThread> running_;
  std::shared_ptr<Job> runningJob_;
  std::function<SavedSession()> waiting_;
  std::uint64_t nextJob_ = 0;
};

} // namespace medclick::ui
