#include "model/autosave_writer.h"

namespace medclick::ui {

struct AutosaveWriter::Job {
  std::uint64_t id = 0;
  std::string error; // written by the writer's thread, read after it finished
};

AutosaveWriter::AutosaveWriter(std::string folder, QObject* parent) : QObject(parent), store_(std::move(folder)) {}

AutosaveWriter::~AutosaveWriter() {
  waiting_ = nullptr; // the newest state is lost only if the process ends here: the last written one stays
  if (running_) running_->wait();
}

void AutosaveWriter::save(std::function<SavedSession()> state) {
  if (running_)
    waiting_ = std::move(state);
  else
    start(std::move(state));
}

void AutosaveWriter::start(std::function<SavedSession()> state) {
  auto job = std::make_shared<Job>();
  job->id = ++nextJob_;
  const AutosaveStore store = store_;
  running_.reset(QThread::create([job, store, state = std::move(state)] {
    try {
      store.save(state());
    } catch (const std::exception& e) {
      job->error = e.what();
    }
  }));
  runningJob_ = job;
  const std::uint64_t id = job->id;
  // Queued to this (GUI) thread; a job waitUntilWritten already finished is ignored by its id.
  connect(running_.get(), &QThread::finished, this, [this, id] { finished(id); });
  running_->start();
}

void AutosaveWriter::finished(std::uint64_t job) {
  if (!runningJob_ || runningJob_->id != job) return;
  running_->wait();
  const std::string error = runningJob_->error;
  running_.reset();
  runningJob_.reset();
  if (!error.empty()) emit failed(QString::fromStdString(error));
  if (waiting_) start(std::exchange(waiting_, nullptr));
}

void AutosaveWriter::waitUntilWritten() {
  while (running_) {
    running_->wait();
    finished(runningJob_->id);
  }
}

void AutosaveWriter::discard() {
  waiting_ = nullptr;
  waitUntilWritten();
  store_.discard();
}

} // namespace medclick::ui
