#pragma once
// The segment list (Slicer's Segment Editor list, ITK-SNAP's label table) in a dock: one row per
// segment with its colour, name, label value, visibility and lock; the selected row is the active
// segment, which every click, brush, eraser, Auto and propagation acts on. Below it: add and remove,
// what an edit may overwrite, and import/export of ITK-SNAP label descriptions. It shows what the
// session's snapshot says and asks for changes by signals; it changes nothing itself.

#include "segments/segment.h"
#include "session/label_write_rule.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QPushButton;
class QTableWidget;

namespace medclick::ui {

class SegmentListPanel : public QWidget {
  Q_OBJECT

public:
  explicit SegmentListPanel(QWidget* parent = nullptr);

  // The rows, and the selection on the active segment (no signal is sent for this).
  void setSegments(const std::vector<Segment>& segments, Label active);
  Label activeSegment() const { return active_; }
  QTableWidget* table() const { return table_; }

signals:
  void activeSegmentChosen(medclick::Label label);
  void segmentEdited(medclick::Segment segment); // name, visibility or lock changed in its row
  void colourChangeRequested(medclick::Label label); // the colour cell was double-clicked
  void addRequested();
  void removeRequested(medclick::Label label);
  void overwriteModeChosen(medclick::OverwriteMode mode);
  void importRequested();
  void exportRequested();

private:
  enum Column { ColourColumn, NameColumn, LabelColumn, VisibleColumn, LockedColumn, ColumnCount };
  void rowEdited(int row, int column);

  QTableWidget* table_;
  QPushButton* remove_;
  QComboBox* overwrite_;
  std::vector<Segment> segments_; // in row order
  Label active_ = 1;
  bool updating_ = false; // setSegments is filling the table: its changes are not the user's
};

} // namespace medclick::ui
