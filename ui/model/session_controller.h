#pragma once
// The GUI's handle on the annotation session (ITK-SNAP's "model" layer between logic and widgets).
// Every operation runs on one worker thread, in order, so the interface never blocks on a network;
// a click that arrives while another runs waits, and a newer click replaces a click still waiting
// (the user has moved on). After each operation a SessionSnapshot comes back to the GUI thread.

#include "engine/segmentation_engine.h"
#include "image/image.h"
#include "model/session_snapshot.h"
#include "session/annotation_session.h"

#include <QObject>
#include <QThread>

#include <deque>
#include <functional>
#include <memory>

namespace medclick::ui {

using EngineFactory = std::function<std::shared_ptr<SegmentationEngine>()>;

class SessionController : public QObject {
  Q_OBJECT

public:
  explicit SessionController(QObject* parent = nullptr);
  ~SessionController() override;

  // Starts a new session on this image (after the operations already queued); the engine stays.
  // extraModalities: the case's further modalities on the image's grid (automatic segmenters' channels).
  void openImage(std::shared_ptr<const Image> image, std::vector<Image> extraModalities = {});
  bool hasImage() const { return image_ != nullptr; }
  const std::shared_ptr<const Image>& image() const { return image_; }
  const SnapshotPtr& snapshot() const { return snapshot_; }
  bool busy() const { return running_ || !queue_.empty(); }
  const QString& engineName() const { return engineName_; }
  const QString& engineDevice() const { return engineDevice_; }

  // The factory runs on the worker (loading weights takes a moment); its errors are reported, and
  // the previous engine stays in use. The engine's capabilities give it its roles: one that takes
  // clicks becomes the click engine (a 3D one refines the whole volume from the voxel under each
  // click); one that segments without clicks becomes the automatic engine (both for CAISeg). An
  // automatic-only model (KM-UNet, KANU-Net) leaves the click engine as it was.
  void chooseEngine(EngineFactory factory);
  const QString& automaticSegmenterName() const { return automaticName_; }
  void autoSegment(const SliceRef& slice); // the automatic engine's mask: of the slice, or of the volume for a 3D one
  // Like every click: a newer one replaces one still waiting.
  void addClick(const SliceRef& slice, const Click& click);
  void paint(const SliceRef& slice, double x, double y, double radius, bool object);
  void clearSlice(const SliceRef& slice);
  void fillHoles(const SliceRef& slice);
  void propagate(const SliceRef& from, int direction);
  void undo();
  void redo();
  // Segments (issue 23): a new segment becomes the active one, as in Slicer; property changes (name,
  // colour, visibility, lock) are not undone. `segments`, from a label description file: a label that
  // is a segment takes its name and colour, a new label becomes a segment.
  void addSegment();
  void removeSegment(Label label);
  void setActiveSegment(Label label);
  void updateSegment(const Segment& segment);
  void importSegments(const std::vector<Segment>& segments);
  void setOverwriteMode(OverwriteMode mode);
  // The active segment's gaps along the axis filled by interpolation (AnnotationSession::fillBetweenDrawnSlices).
  void fillBetweenSlices(SliceAxis axis);
  void loadSavedState(const LabelMask& mask, const std::vector<SegmentRecord>& segments, Label active = 0);

  // Blocks the calling (GUI) thread until every queued operation has run and its result arrived.
  // For closing, saving and tests; never called in response to a click.
  void waitUntilIdle();

signals:
  void snapshotChanged(); // snapshot() is new: mask, clicks or undo state changed
  void refinementFinished(double milliseconds);
  void engineChanged(QString name, QString device);
  void automaticSegmenterChanged(QString name, QString device);
  void operationFailed(QString message);
  void propagated(medclick::SliceRef to);
  void busyChanged(bool busy);

private:
  struct Outcome; // what one operation hands back from the worker
  enum class Kind { Click, Paint, Other };
  struct PaintStroke {
    SliceRef slice;
    double radius;
    bool object;
    std::vector<std::pair<double, double>> points;
  };
  struct Operation {
    Kind kind;
    std::function<void(Outcome&)> work;   // runs on the worker thread
    std::shared_ptr<PaintStroke> stroke;  // Kind::Paint: dabs that arrive while it waits join it
  };
  AnnotationSession& session(); // worker thread only; throws when no image is open

  void enqueue(Operation operation);
  void startNext();
  void finish(const std::shared_ptr<Outcome>& outcome);
  VoxelBox updateMask(); // worker thread: mask_ after the last operation; returns the box that changed

  QThread thread_;
  QObject* worker_ = nullptr; // lives in thread_: the context of the worker's queued calls
  std::unique_ptr<AnnotationSession> session_; // touched only on the worker thread
  std::shared_ptr<SegmentationEngine> clickEngine_;     // idem
  std::shared_ptr<SegmentationEngine> automaticEngine_; // idem
  std::shared_ptr<const Image> image_;
  SnapshotPtr snapshot_;
  OverwriteMode overwriteMode_ = OverwriteMode::Background; // worker thread
  std::shared_ptr<LabelMask> mask_; // worker thread: the newest mask, shared by snapshots until it changes
  std::shared_ptr<LabelMask> spare_; // worker thread: the mask before it, reused once no snapshot holds it
  VoxelBox spareStale_;              // where spare_ is behind the session
  std::deque<Operation> queue_;
  bool running_ = false;
  QString engineName_, engineDevice_;
  QString automaticName_;
};

} // namespace medclick::ui
