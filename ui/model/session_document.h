#pragma once
// The open case as a document (Slicer's scene I/O, ITK-SNAP's IRISApplication file logic): which
// image is open, whether its segmentation changed since it was last saved, and the file work on it:
// open an image or a saved session, save, export the mask, accept it into the local cases, autosave
// and recovery. Reads and writes run off the GUI thread (runOffGuiThread, AutosaveWriter). No
// widgets: MainWindow shows the errors and status messages this emits.

#include "model/autosave_writer.h"
#include "model/session_controller.h"

#include <QObject>
#include <QTimer>

#include <optional>

namespace medclick::ui {

class SessionDocument : public QObject {
  Q_OBJECT

public:
  SessionDocument(SessionController& controller, const QString& dataFolder, QObject* parent = nullptr);

  // Each returns false after emitting failed(message); the current work then stays open.
  // An image file, or a folder holding a DICOM series (seriesUid picks one of several); `state`
  // restores a saved mask and clicks on it.
  bool open(const QString& path, const QString& seriesUid = {}, const SavedSession* state = nullptr);
  bool openSession(const QString& path);
  // A label map on the open image's grid (NIfTI/NRRD/MHA with its label description, .seg.nrrd, PNG)
  // replaces the segmentation: its labels become the segments, with their names and colours, and the
  // undo history starts over (the window asks first when the current one has unsaved changes).
  bool openSegmentation(const QString& path);
  bool saveSession(const QString& path);
  // The label map with its segments' names and colours (io/label_map_file.h): .nii/.nii.gz/.nrrd/.mha
  // with an ITK-SNAP label description, .seg.nrrd for Slicer, or .png for a 2D image.
  bool exportMask(const QString& path);
  // The segments as a DICOM SEG of the DICOM series the image was read from (io/dicom_seg_writer.h);
  // an image that came from another format is refused with a message that says so.
  bool exportDicomSeg(const QString& path);
  bool exportMaskSlices(const QString& folder); // one PNG per axial slice
  bool acceptCase();                            // image + mask into annotatedCasesFolder() (core/data/annotated_cases)

  // The autosave the last run left behind, read (nullopt: none, or unreadable: failed() says so and
  // the files stay for the user to rescue).
  std::optional<SavedSession> readRecovery();
  void discardRecovery() { autosave_.discard(); }
  void autosaveNow();   // now, if anything changed since the last autosave (written off the GUI thread)
  void closeCleanly();  // a clean close: nothing is left to recover

  // The model a saved session names (the CLI's --model and the weights file).
  void setModel(const QString& model, const QString& weightsPath);
  bool hasUnsavedChanges() const { return controller_.hasImage() && dirty_; }
  const QString& imagePath() const { return imagePath_; }
  QString annotatedCasesFolder() const;
  const AutosaveStore& autosaveStore() const { return autosave_.store(); }

signals:
  void imageChanged(); // the controller holds a new image; its mask and clicks follow as snapshots
  void failed(QString message);
  void statusMessage(QString message, int timeoutMs);

private:
  // The state a session file holds, built from a snapshot the caller shares (on any thread).
  std::function<SavedSession()> stateToSave() const;
  std::shared_ptr<const LabelMask> currentMask() const; // shared with the snapshot: no copy
  std::vector<Segment> currentSegments() const;
  bool readyToWrite(); // an image is open and every queued operation has run
  // Runs `write` off the GUI thread; success marks the work saved and says `done`, a failure emits
  // `failure` with the reason as %1.
  bool writeOffGuiThread(const std::function<void()>& write, const QString& failure, const QString& done);

  SessionController& controller_;
  QString dataFolder_;
  AutosaveWriter autosave_;
  QTimer autosaveTimer_;    // every half minute
  QTimer autosaveDebounce_; // soon after a change, but not once per brush dab
  bool dirty_ = false;         // changed since the last save or export
  bool autosaveDirty_ = false; // changed since the last autosave
  QString imagePath_, seriesUid_;
  QString model_, weightsPath_;
};

} // namespace medclick::ui
