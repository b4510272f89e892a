#pragma once
// The segment list's dock: the SegmentListPanel wired to the session controller, with the dialogs its
// buttons need (a colour, a label description file to import or export, the confirmation before a
// removal). It follows the controller's snapshots, so it always shows the session's segments.

#include "model/session_controller.h"

#include <QDockWidget>

#include <functional>

namespace medclick::ui {

class SegmentListPanel;

class SegmentListDock : public QDockWidget {
  Q_OBJECT

public:
  SegmentListDock(SessionController& controller, std::function<bool(const QString&)> confirm,
                  std::function<void(const QString&)> showError, QWidget* parent = nullptr);
  SegmentListPanel& panel() const { return *panel_; }

  // What the buttons' dialogs lead to; public for the tests, which skip the dialogs.
  bool importLabelDescription(const QString& path);
  bool exportLabelDescription(const QString& path);
  void removeSegment(Label label); // asks first: a removal cannot be undone

private:
  std::vector<Segment> segments() const; // the latest snapshot's
  void chooseColour(Label label);

  SessionController& controller_;
  SegmentListPanel* panel_;
  std::function<bool(const QString&)> confirm_;
  std::function<void(const QString&)> showError_;
};

} // namespace medclick::ui
