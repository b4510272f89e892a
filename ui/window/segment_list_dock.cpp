#include "window/segment_list_dock.h"

#include "segments/label_description.h"
#include "view/segment_list_panel.h"

#include <QColorDialog>
#include <QFileDialog>

namespace medclick::ui {

SegmentListDock::SegmentListDock(SessionController& controller, std::function<bool(const QString&)> confirm,
                                 std::function<void(const QString&)> showError, QWidget* parent)
    : QDockWidget(tr("Segments"), parent), controller_(controller), panel_(new SegmentListPanel), confirm_(std::move(confirm)),
      showError_(std::move(showError)) {
  setObjectName("segmentDock");
  setWidget(panel_);
  connect(&controller_, &SessionController::snapshotChanged, this, [this] {
    if (const SnapshotPtr& snapshot = controller_.snapshot()) panel_->setSegments(segments(), snapshot->activeSegment);
  });
  connect(panel_, &SegmentListPanel::activeSegmentChosen, &controller_, &SessionController::setActiveSegment);
  connect(panel_, &SegmentListPanel::segmentEdited, &controller_, &SessionController::updateSegment);
  connect(panel_, &SegmentListPanel::addRequested, &controller_, &SessionController::addSegment);
  connect(panel_, &SegmentListPanel::overwriteModeChosen, &controller_, &SessionController::setOverwriteMode);
  connect(panel_, &SegmentListPanel::removeRequested, this, &SegmentListDock::removeSegment);
  connect(panel_, &SegmentListPanel::colourChangeRequested, this, &SegmentListDock::chooseColour);
  connect(panel_, &SegmentListPanel::importRequested, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Label Descriptions"), QString(), tr("Label descriptions (*.txt);;All files (*)"));
    if (!path.isEmpty()) importLabelDescription(path);
  });
  connect(panel_, &SegmentListPanel::exportRequested, this, [this] {
    QString path = QFileDialog::getSaveFileName(this, tr("Export Label Descriptions"), QString(), tr("Label descriptions (*.txt)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(".txt")) path += ".txt";
    exportLabelDescription(path);
  });
}

std::vector<Segment> SegmentListDock::segments() const {
  const SnapshotPtr& snapshot = controller_.snapshot();
  return snapshot ? snapshot->segmentList() : std::vector<Segment>{};
}

bool SegmentListDock::importLabelDescription(const QString& path) {
  if (!controller_.hasImage()) return false;
  try {
    controller_.importSegments(readLabelDescription(path.toStdString())); // a few kB, read here
    return true;
  } catch (const std::exception& e) {
    showError_(tr("The label descriptions were not imported.\n\n%1").arg(QString::fromStdString(e.what())));
    return false;
  }
}

bool SegmentListDock::exportLabelDescription(const QString& path) {
  try {
    writeLabelDescription(path.toStdString(), segments());
    return true;
  } catch (const std::exception& e) {
    showError_(tr("The label descriptions were not exported.\n\n%1").arg(QString::fromStdString(e.what())));
    return false;
  }
}

void SegmentListDock::removeSegment(Label label) {
  QString name;
  for (const Segment& s : segments())
    if (s.label == label) name = QString::fromStdString(s.name);
  if (name.isEmpty()) return;
  if (confirm_(tr("Remove the segment '%1' and its voxels? This cannot be undone.").arg(name))) controller_.removeSegment(label);
}

void SegmentListDock::chooseColour(Label label) {
  for (Segment s : segments()) {
    if (s.label != label) continue;
    const QColor chosen = QColorDialog::getColor(QColor(s.colour[0], s.colour[1], s.colour[2]), this, tr("Segment Colour"));
    if (!chosen.isValid()) return;
    s.colour = {static_cast<std::uint8_t>(chosen.red()), static_cast<std::uint8_t>(chosen.green()), static_cast<std::uint8_t>(chosen.blue())};
    controller_.updateSegment(s);
    return;
  }
}

} // namespace medclick::ui
