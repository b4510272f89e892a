#include "model/session_controller.h"

#include <QCoreApplication>
#include <QEventLoop>

#include <chrono>
#include <stdexcept>

namespace medclick::ui {

struct SessionController::Outcome {
  bool changesSession = true;  // a new snapshot is due
  bool isRefinement = false;   // a network ran: report its time
  std::optional<SliceRef> propagatedTo;
  QString engineName, engineDevice;
  QString automaticName, automaticDevice;
  QString error;
  double milliseconds = 0;
  SnapshotPtr snapshot;
};

SessionController::SessionController(QObject* parent) : QObject(parent) {
  worker_ = new QObject;
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  thread_.setObjectName("medclick-session-worker");
  thread_.start();
}

SessionController::~SessionController() {
  queue_.clear();  // operations not yet started are dropped; the running one completes
  thread_.quit();
  thread_.wait();
}

AnnotationSession& SessionController::session() {
  if (!session_) throw std::logic_error("no image is open");
  return *session_;
}

void SessionController::openImage(std::shared_ptr<const Image> image, std::vector<Image> extraModalities) {
  image_ = image;
  snapshot_.reset();
  auto extras = std::make_shared<std::vector<Image>>(std::move(extraModalities));
  enqueue({Kind::Other, [this, image, extras](Outcome&) {
             session_ = std::make_unique<AnnotationSession>(*image);
             mask_.reset(); // the next snapshot makes the new image's mask whole
             session_->setExtraModalities(std::move(*extras));
             session_->setEngine(clickEngine_);
             session_->setAutomaticEngine(automaticEngine_);
             session_->setOverwriteMode(overwriteMode_);
           }});
}

void SessionController::chooseEngine(EngineFactory factory) {
  enqueue({Kind::Other, [this, factory](Outcome& out) {
             out.changesSession = false;
             std::shared_ptr<SegmentationEngine> engine = factory(); // may throw: the previous engines stay
             const EngineCapabilities capabilities = engine->capabilities();
             if (capabilities.takesClicks) {
               out.engineName = QString::fromStdString(engine->name());
               out.engineDevice = QString::fromStdString(engine->deviceName());
               clickEngine_ = engine;
               if (session_) session_->setEngine(clickEngine_);
             }
             if (capabilities.segmentsWithoutClicks) {
               if (!capabilities.takesClicks) {
                 out.automaticName = QString::fromStdString(engine->name());
                 out.automaticDevice = QString::fromStdString(engine->deviceName());
               }
               automaticEngine_ = engine;
               if (session_) session_->setAutomaticEngine(automaticEngine_);
             } else if (automaticEngine_ && automaticEngine_->capabilities().takesClicks) {
               // The old click engine proposed too (CAISeg): a new click model ends that.
               automaticEngine_.reset();
               if (session_) session_->setAutomaticEngine(nullptr);
             }
           }});
}

void SessionController::autoSegment(const SliceRef& slice) {
  enqueue({Kind::Other, [this, slice](Outcome& out) {
             out.isRefinement = true;
             session().autoSegment(slice);
           }});
}

void SessionController::addClick(const SliceRef& slice, const Click& click) {
  if (!queue_.empty() && queue_.back().kind == Kind::Click) queue_.pop_back(); // a newer click replaces the waiting one
  enqueue({Kind::Click, [this, slice, click](Outcome& out) {
             out.isRefinement = true;
             session().addClick(slice, click);
           }});
}

void SessionController::paint(const SliceRef& slice, double x, double y, double radius, bool object) {
  // Dabs of a stroke arrive faster than a volume's snapshot is made: those that wait are painted
  // together, as one step.
  if (!queue_.empty() && queue_.back().kind == Kind::Paint) {
    PaintStroke& waiting = *queue_.back().stroke;
    if (waiting.slice == slice && waiting.radius == radius && waiting.object == object) {
      waiting.points.emplace_back(x, y);
      return;
    }
  }
  auto stroke = std::make_shared<PaintStroke>(PaintStroke{slice, radius, object, {{x, y}}});
  enqueue({Kind::Paint, [this, stroke](Outcome&) { session().paintStroke(stroke->slice, stroke->points, stroke->radius, stroke->object); },
           stroke});
}

void SessionController::clearSlice(const SliceRef& slice) {
  enqueue({Kind::Other, [this, slice](Outcome&) { session().clearSlice(slice); }});
}

void SessionController::fillHoles(const SliceRef& slice) {
  enqueue({Kind::Other, [this, slice](Outcome&) { session().fillHoles(slice); }});
}

void SessionController::propagate(const SliceRef& from, int direction) {
  enqueue({Kind::Other, [this, from, direction](Outcome& out) {
             out.isRefinement = true;
             out.propagatedTo = session().propagate(from, direction, true);
             if (!out.propagatedTo) out.error = tr("Nothing to propagate: this slice has no mask, or it is the last slice.");
           }});
}

void SessionController::addSegment() {
  enqueue({Kind::Other, [this](Outcome&) {
             Segment segment;
             segment.label = 0; // the lowest free label, in its default colour
             const Label label = session().addSegment(segment);
             Segment look = SegmentList::makeDefault(label);
             session().updateSegment(look);
             session().setActiveSegment(label);
           }});
}

void SessionController::removeSegment(Label label) {
  enqueue({Kind::Other, [this, label](Outcome&) { session().removeSegment(label); }});
}

void SessionController::setActiveSegment(Label label) {
  enqueue({Kind::Other, [this, label](Outcome&) { session().setActiveSegment(label); }});
}

void SessionController::updateSegment(const Segment& segment) {
  enqueue({Kind::Other, [this, segment](Outcome&) { session().updateSegment(segment); }});
}

void SessionController::importSegments(const std::vector<Segment>& segments) {
  enqueue({Kind::Other, [this, segments](Outcome&) {
             for (const Segment& segment : segments) {
               if (const Segment* existing = session().segments().find(segment.label)) {
                 Segment updated = segment;
                 updated.locked = existing->locked; // the lock is MedClick's, not the file's
                 session().updateSegment(updated);
               } else {
                 session().addSegment(segment);
               }
             }
           }});
}

void SessionController::setOverwriteMode(OverwriteMode mode) {
  enqueue({Kind::Other, [this, mode](Outcome& out) {
             out.changesSession = false;
             overwriteMode_ = mode; // for the sessions of images opened later too
             if (session_) session_->setOverwriteMode(mode);
           }});
}

void SessionController::fillBetweenSlices(SliceAxis axis) {
  enqueue({Kind::Other, [this, axis](Outcome& out) {
             if (session().fillBetweenDrawnSlices(axis).empty())
               out.error = tr("Nothing to fill: draw the active segment on two slices with slices between them.");
           }});
}

void SessionController::undo() {
  enqueue({Kind::Other, [this](Outcome&) {
             if (session().canUndo()) session().undo();
           }});
}

void SessionController::redo() {
  enqueue({Kind::Other, [this](Outcome&) {
             if (session().canRedo()) session().redo();
           }});
}

void SessionController::loadSavedState(const LabelMask& mask, const std::vector<SegmentRecord>& segments, Label active) {
  enqueue({Kind::Other, [this, mask, segments, active](Outcome&) { session().loadSavedState(mask, segments, active); }});
}

void SessionController::enqueue(Operation operation) {
  const bool wasBusy = busy();
  queue_.push_back(std::move(operation));
  if (!wasBusy) emit busyChanged(true);
  startNext();
}

void SessionController::startNext() {
  if (running_ || queue_.empty()) return;
  Operation operation = std::move(queue_.front());
  queue_.pop_front();
  running_ = true;
  QMetaObject::invokeMethod(worker_, [this, operation] {
    auto outcome = std::make_shared<Outcome>();
    const auto start = std::chrono::steady_clock::now();
    try {
      operation.work(*outcome);
    } catch (const std::exception& e) {
      outcome->error = QString::fromStdString(e.what());
    }
    outcome->milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (outcome->changesSession && session_) {
      auto snapshot = std::make_shared<SessionSnapshot>();
      snapshot->changed = updateMask();
      snapshot->sharedMask = mask_;
      snapshot->clicks = session_->allClicks();
      snapshot->volumeClicks = session_->volumeClicks();
      snapshot->segments = session_->segmentRecords();
      snapshot->activeSegment = session_->activeSegment();
      snapshot->canUndo = session_->canUndo();
      snapshot->canRedo = session_->canRedo();
      outcome->snapshot = std::move(snapshot);
    }
    QMetaObject::invokeMethod(this, [this, outcome] { finish(outcome); }, Qt::QueuedConnection);
  }, Qt::QueuedConnection);
}

VoxelBox SessionController::updateMask() {
  const ImageGeometry& geometry = session_->geometry();
  if (!mask_) {
    mask_ = std::make_shared<LabelMask>(session_->mask());
    spare_.reset();
    return VoxelBox::whole(geometry.size);
  }
  const VoxelBox box = session_->lastChange();
  if (box.empty()) return box;
  // A snapshot the GUI still shows holds this mask: write another one, never what a view is reading.
  // (Only this thread makes new references, so a count of 1 cannot grow while it is written.) The
  // mask before it, once the GUI has let it go, differs from this one only in spareStale_: bringing
  // that box up to date costs the box, where a copy would cost the volume (157 MB at 512x512x300).
  if (mask_.use_count() > 1) {
    std::shared_ptr<LabelMask> next;
    if (spare_ && spare_.use_count() == 1) {
      next = std::move(spare_);
      session_->updateMask(*next, spareStale_);
    } else {
      next = std::make_shared<LabelMask>(*mask_);
    }
    spare_ = std::move(mask_);
    mask_ = std::move(next);
    spareStale_ = box;
  } else {
    spareStale_ = spareStale_.united(box);
  }
  session_->updateMask(*mask_, box);
  return box;
}

void SessionController::finish(const std::shared_ptr<Outcome>& outcome) {
  running_ = false;
  if (!outcome->engineName.isEmpty()) {
    engineName_ = outcome->engineName;
    engineDevice_ = outcome->engineDevice;
    emit engineChanged(engineName_, engineDevice_);
  }
  if (!outcome->automaticName.isEmpty()) {
    automaticName_ = outcome->automaticName;
    emit automaticSegmenterChanged(automaticName_, outcome->automaticDevice);
  }
  if (outcome->snapshot) {
    snapshot_ = outcome->snapshot;
    emit snapshotChanged();
  }
  if (!outcome->error.isEmpty())
    emit operationFailed(outcome->error);
  else if (outcome->isRefinement)
    emit refinementFinished(outcome->milliseconds);
  if (outcome->propagatedTo) emit propagated(*outcome->propagatedTo);
  startNext();
  if (!busy()) emit busyChanged(false);
}

void SessionController::waitUntilIdle() {
  if (!busy()) return;
  QEventLoop loop;
  connect(this, &SessionController::busyChanged, &loop, [&loop](bool busy) {
    if (!busy) loop.quit();
  });
  loop.exec(QEventLoop::ExcludeUserInputEvents);
}

} // namespace medclick::ui
