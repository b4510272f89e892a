#include "model/session_document.h"

#include "core/data/annotated_cases.h"
#include "core/data/modality_files.h"
#include "io/image_reader.h"
#include "io/dicom_seg_writer.h"
#include "io/image_writer.h"
#include "io/label_map_file.h"
#include "model/background_work.h"
#include "segments/segment_list.h"

#include <QDir>
#include <QFileInfo>

namespace medclick::ui {

namespace {

constexpr int kAutosaveIntervalMs = 30'000;
constexpr int kAutosaveDebounceMs = 1'000;

QString message(const std::exception& e) { return QString::fromStdString(e.what()); }

struct OpenedImage {
  std::shared_ptr<Image> image;
  std::vector<Image> extraModalities; // an nnU-Net case's NAME_0001, ... beside the NAME_0000 opened
};

} // namespace

SessionDocument::SessionDocument(SessionController& controller, const QString& dataFolder, QObject* parent)
    : QObject(parent), controller_(controller), dataFolder_(dataFolder),
      autosave_(QDir(dataFolder).filePath("autosave").toStdString()) {
  connect(&controller_, &SessionController::snapshotChanged, this, [this] {
    dirty_ = autosaveDirty_ = true;
    autosaveDebounce_.start();
  });
  connect(&autosave_, &AutosaveWriter::failed, this,
          [this](const QString& reason) {
            autosaveDirty_ = true; // the timer tries again
            emit statusMessage(tr("Autosave failed: %1").arg(reason), 10'000);
          });
  autosaveTimer_.setInterval(kAutosaveIntervalMs);
  connect(&autosaveTimer_, &QTimer::timeout, this, &SessionDocument::autosaveNow);
  autosaveTimer_.start();
  autosaveDebounce_.setSingleShot(true);
  autosaveDebounce_.setInterval(kAutosaveDebounceMs);
  connect(&autosaveDebounce_, &QTimer::timeout, this, &SessionDocument::autosaveNow);
}

void SessionDocument::setModel(const QString& model, const QString& weightsPath) {
  model_ = model;
  weightsPath_ = weightsPath;
}

QString SessionDocument::annotatedCasesFolder() const { return QDir(dataFolder_).filePath("annotated-cases"); }

std::function<SavedSession()> SessionDocument::stateToSave() const {
  SavedSession header;
  header.imagePath = imagePath_.toStdString();
  header.dicomSeriesUid = seriesUid_.toStdString();
  header.model = model_.toStdString();
  header.weightsPath = weightsPath_.toStdString();
  const SnapshotPtr snapshot = controller_.snapshot();
  const ImageGeometry geometry = controller_.image()->geometry();
  // The mask is copied where this runs (the writer's thread), out of the snapshot it shares.
  return [header = std::move(header), snapshot, geometry] {
    SavedSession s = header;
    if (snapshot) {
      s.mask = snapshot->mask();
      s.segments = snapshot->segments;
      s.activeSegment = snapshot->activeSegment;
    } else {
      s.mask = LabelMask(geometry);
      s.segments = {{SegmentList::makeDefault(1), {}, {}}};
    }
    return s;
  };
}

bool SessionDocument::open(const QString& path, const QString& seriesUid, const SavedSession* state) {
  OpenedImage opened;
  try {
    std::optional<ImageGeometry> savedGrid;
    if (state) savedGrid = state->mask.geometry();
    opened = runOffGuiThread([file = path.toStdString(), uid = seriesUid.toStdString(), savedGrid] {
      ImageReadOptions options;
      options.dicomSeriesUid = uid;
      OpenedImage result;
      result.image = std::make_shared<Image>(readImage(file, options));
      const auto modalityPaths = nnunetModalityPaths(file);
      result.extraModalities = readFurtherModalities(*result.image, modalityPaths.front(), {modalityPaths.begin() + 1, modalityPaths.end()});
      if (savedGrid) requireSameGrid(result.image->geometry(), *savedGrid, "saved mask");
      return result;
    });
  } catch (const std::exception& e) {
    emit failed(tr("Cannot open this image; the current work stays open.\n\n%1").arg(message(e)));
    return false;
  }
  controller_.waitUntilIdle();
  if (controller_.hasImage() && dirty_) autosaveNow(); // the work being replaced stays recoverable
  imagePath_ = QFileInfo(path).absoluteFilePath();
  seriesUid_ = seriesUid;
  const std::size_t furtherModalities = opened.extraModalities.size();
  controller_.openImage(opened.image, std::move(opened.extraModalities));
  emit imageChanged();
  if (state) controller_.loadSavedState(state->mask, state->segments, state->activeSegment);
  controller_.waitUntilIdle();
  // A freshly opened image is nothing to save yet; recovered work is, until saved or exported.
  dirty_ = autosaveDirty_ = state != nullptr;
  if (!state) autosaveDebounce_.stop();
  if (furtherModalities > 0)
    emit statusMessage(tr("%n further modality(ies) of this case loaded for the automatic models", "", static_cast<int>(furtherModalities)), 5'000);
  if (opened.image->nonFiniteCount() > 0)
    emit statusMessage(tr("%1 NaN/Inf voxels were shown as the minimum intensity.").arg(opened.image->nonFiniteCount()), 10'000);
  return true;
}

bool SessionDocument::openSession(const QString& path) {
  SavedSession state;
  try {
    state = runOffGuiThread([file = path.toStdString()] { return readSessionFile(file); });
  } catch (const std::exception& e) {
    emit failed(tr("Cannot open this session; the current work stays open.\n\n%1").arg(message(e)));
    return false;
  }
  return open(QString::fromStdString(state.imagePath), QString::fromStdString(state.dicomSeriesUid), &state);
}

bool SessionDocument::openSegmentation(const QString& path) {
  if (!readyToWrite()) return false;
  LabelMapFile map;
  try {
    map = runOffGuiThread([file = path.toStdString(), grid = controller_.image()->geometry()] {
      LabelMapFile read = readLabelMap(file);
      requireSameGrid(grid, read.labels.geometry(), file);
      return read;
    });
  } catch (const std::exception& e) {
    emit failed(tr("Cannot open this segmentation; the current one stays.\n\n%1").arg(message(e)));
    return false;
  }
  std::vector<SegmentRecord> records;
  for (const Segment& segment : map.segments) records.push_back({segment, {}, {}});
  if (records.empty()) records.push_back({SegmentList::makeDefault(1), {}, {}}); // an empty map: one segment to draw
  controller_.loadSavedState(map.labels, records);
  controller_.waitUntilIdle();
  dirty_ = autosaveDirty_ = true;
  emit statusMessage(tr("Segmentation opened from %1: %n segment(s)", "", static_cast<int>(records.size())).arg(path), 5'000);
  return true;
}

bool SessionDocument::readyToWrite() {
  if (!controller_.hasImage()) return false;
  controller_.waitUntilIdle(); // what is written includes every operation already asked for
  return true;
}

bool SessionDocument::writeOffGuiThread(const std::function<void()>& write, const QString& failure, const QString& done) {
  try {
    runOffGuiThread(write);
  } catch (const std::exception& e) {
    emit failed(failure.arg(message(e)));
    return false;
  }
  dirty_ = false;
  emit statusMessage(done, 5'000);
  return true;
}

std::shared_ptr<const LabelMask> SessionDocument::currentMask() const {
  if (const SnapshotPtr& snapshot = controller_.snapshot()) return snapshot->sharedMask;
  return std::make_shared<const LabelMask>(controller_.image()->geometry());
}

std::vector<Segment> SessionDocument::currentSegments() const {
  const SnapshotPtr& snapshot = controller_.snapshot();
  return snapshot ? snapshot->segmentList() : std::vector<Segment>{};
}

bool SessionDocument::saveSession(const QString& path) {
  return readyToWrite() && writeOffGuiThread([state = stateToSave(), file = path.toStdString()] { writeSessionFile(file, state()); },
                                             tr("The session was not saved.\n\n%1"), tr("Session saved to %1").arg(path));
}

bool SessionDocument::exportMask(const QString& path) {
  if (!readyToWrite()) return false;
  const bool volumeToPng = path.endsWith(".png", Qt::CaseInsensitive) && controller_.image()->geometry().hasDepth();
  return writeOffGuiThread(
      [mask = currentMask(), segments = currentSegments(), file = path.toStdString(), volumeToPng] {
        if (volumeToPng) throw std::runtime_error("a volume's mask goes to NIfTI or a PNG folder, not one PNG");
        writeLabelMap(*mask, segments, file); // with the segments' names and colours
      },
      tr("The mask was not exported.\n\n%1"), tr("Mask exported to %1").arg(path));
}

bool SessionDocument::exportDicomSeg(const QString& path) {
  if (!readyToWrite()) return false;
  if (!QFileInfo(imagePath_).isDir()) {
    emit failed(tr("A DICOM SEG belongs to the DICOM series it was drawn on, and this image was not read from one (%1). "
                   "Export the segmentation as NIfTI or as a Slicer segmentation instead.")
                    .arg(QFileInfo(imagePath_).fileName()));
    return false;
  }
  return writeOffGuiThread(
      [mask = currentMask(), segments = currentSegments(), reference = DicomSegReference{imagePath_.toStdString(), seriesUid_.toStdString()},
       file = path.toStdString()] { writeDicomSeg(*mask, segments, reference, file); },
      tr("The DICOM SEG was not exported.\n\n%1"), tr("DICOM SEG exported to %1").arg(path));
}

bool SessionDocument::exportMaskSlices(const QString& folder) {
  return readyToWrite() && writeOffGuiThread([mask = currentMask(), to = folder.toStdString()] { writeMaskSlices(*mask, to); },
                                             tr("The mask was not exported.\n\n%1"), tr("Mask slices exported to %1").arg(folder));
}

bool SessionDocument::acceptCase() {
  if (!readyToWrite()) return false;
  const SnapshotPtr snapshot = controller_.snapshot();
  if (!snapshot || snapshot->mask().countNonZero() == 0) {
    emit failed(tr("The mask is empty: there is nothing to accept."));
    return false;
  }
  std::string name;
  try {
    name = runOffGuiThread([folder = annotatedCasesFolder().toStdString(), image = controller_.image(), snapshot,
                            stem = QFileInfo(imagePath_).baseName().toStdString()] {
      return addAnnotatedCase(folder, *image, snapshot->mask(), stem);
    });
  } catch (const std::exception& e) {
    emit failed(tr("The case was not added to the local cases.\n\n%1").arg(message(e)));
    return false;
  }
  autosaveNow();
  emit statusMessage(tr("Accepted: added to the local cases as %1").arg(QString::fromStdString(name)), 5'000);
  return true;
}

void SessionDocument::autosaveNow() {
  if (!controller_.hasImage() || !autosaveDirty_ || !controller_.snapshot()) return;
  autosave_.save(stateToSave());
  autosaveDirty_ = false; // until the next change, or until the write fails
}

std::optional<SavedSession> SessionDocument::readRecovery() {
  if (!autosave_.store().hasRecovery()) return std::nullopt;
  try {
    return runOffGuiThread([store = autosave_.store()] { return store.recover(); });
  } catch (const std::exception& e) {
    emit failed(tr("An autosaved session was found but cannot be read; it is kept in %1.\n\n%2")
                    .arg(QString::fromStdString(autosave_.store().folder()), message(e)));
    return std::nullopt;
  }
}

void SessionDocument::closeCleanly() {
  autosaveTimer_.stop();
  autosaveDebounce_.stop();
  autosave_.discard();
}

} // namespace medclick::ui
