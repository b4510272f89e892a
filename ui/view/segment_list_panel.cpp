#include "view/segment_list_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace medclick::ui {

SegmentListPanel::SegmentListPanel(QWidget* parent) : QWidget(parent) {
  setObjectName("segmentList");
  table_ = new QTableWidget(0, ColumnCount);
  table_->setHorizontalHeaderLabels({tr("Colour"), tr("Name"), tr("Label"), tr("Visible"), tr("Locked")});
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->hide();
  // The name takes the width the dock has; the other columns are as wide as their contents.
  for (int column = 0; column < ColumnCount; ++column)
    table_->horizontalHeader()->setSectionResizeMode(column, column == NameColumn ? QHeaderView::Stretch : QHeaderView::ResizeToContents);
  table_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  table_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);

  auto* add = new QPushButton(tr("Add"));
  add->setObjectName("addSegment");
  add->setToolTip(tr("A new segment in the next colour; it becomes the active one"));
  remove_ = new QPushButton(tr("Remove"));
  remove_->setObjectName("removeSegment");
  remove_->setToolTip(tr("Removes the selected segment and its voxels (this clears the undo history)"));
  auto* importButton = new QPushButton(tr("Import…"));
  importButton->setToolTip(tr("Names and colours from an ITK-SNAP label description file"));
  auto* exportButton = new QPushButton(tr("Export…"));
  exportButton->setToolTip(tr("The segments' names and colours as an ITK-SNAP label description file"));
  overwrite_ = new QComboBox;
  overwrite_->setObjectName("overwriteMode");
  overwrite_->addItem(tr("Never overwrite other segments"), static_cast<int>(OverwriteMode::Background));
  overwrite_->addItem(tr("Overwrite unlocked segments"), static_cast<int>(OverwriteMode::UnlockedSegments));
  overwrite_->setToolTip(tr("What the active segment's edits may take: only the background, or also the voxels of segments that are not locked"));

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(add);
  buttons->addWidget(remove_);
  buttons->addStretch();
  buttons->addWidget(importButton);
  buttons->addWidget(exportButton);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(table_);
  layout->addLayout(buttons);
  layout->addWidget(new QLabel(tr("Edits may change:")));
  layout->addWidget(overwrite_);

  connect(add, &QPushButton::clicked, this, &SegmentListPanel::addRequested);
  connect(remove_, &QPushButton::clicked, this, [this] { emit removeRequested(active_); });
  connect(importButton, &QPushButton::clicked, this, &SegmentListPanel::importRequested);
  connect(exportButton, &QPushButton::clicked, this, &SegmentListPanel::exportRequested);
  connect(overwrite_, &QComboBox::currentIndexChanged, this,
          [this](int) { emit overwriteModeChosen(static_cast<OverwriteMode>(overwrite_->currentData().toInt())); });
  connect(table_, &QTableWidget::currentCellChanged, this, [this](int row, int, int, int) {
    if (updating_ || row < 0 || row >= static_cast<int>(segments_.size()) || segments_[row].label == active_) return;
    active_ = segments_[row].label;
    emit activeSegmentChosen(active_);
  });
  connect(table_, &QTableWidget::cellChanged, this, &SegmentListPanel::rowEdited);
  connect(table_, &QTableWidget::cellDoubleClicked, this, [this](int row, int column) {
    if (column == ColourColumn && row >= 0 && row < static_cast<int>(segments_.size())) emit colourChangeRequested(segments_[row].label);
  });
}

void SegmentListPanel::setSegments(const std::vector<Segment>& segments, Label active) {
  updating_ = true;
  segments_ = segments;
  active_ = active;
  table_->setRowCount(static_cast<int>(segments.size()));
  for (int row = 0; row < static_cast<int>(segments.size()); ++row) {
    const Segment& s = segments[static_cast<std::size_t>(row)];
    auto* colour = new QTableWidgetItem;
    colour->setData(Qt::DecorationRole, QColor(s.colour[0], s.colour[1], s.colour[2])); // a swatch the selection does not hide
    colour->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    colour->setToolTip(tr("Double-click to change the colour"));
    auto* name = new QTableWidgetItem(QString::fromStdString(s.name));
    auto* label = new QTableWidgetItem(QString::number(s.label));
    label->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    const auto check = [](bool on) {
      auto* item = new QTableWidgetItem;
      item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
      item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
      return item;
    };
    table_->setItem(row, ColourColumn, colour);
    table_->setItem(row, NameColumn, name);
    table_->setItem(row, LabelColumn, label);
    table_->setItem(row, VisibleColumn, check(s.visible));
    table_->setItem(row, LockedColumn, check(s.locked));
    if (s.label == active) table_->setCurrentCell(row, NameColumn);
  }
  remove_->setEnabled(segments.size() > 1);
  updating_ = false;
}

void SegmentListPanel::rowEdited(int row, int column) {
  if (updating_ || row < 0 || row >= static_cast<int>(segments_.size())) return;
  Segment s = segments_[static_cast<std::size_t>(row)];
  const QTableWidgetItem* item = table_->item(row, column);
  if (!item) return;
  switch (column) {
  case NameColumn: s.name = item->text().trimmed().toStdString(); break;
  case VisibleColumn: s.visible = item->checkState() == Qt::Checked; break;
  case LockedColumn: s.locked = item->checkState() == Qt::Checked; break;
  default: return;
  }
  segments_[static_cast<std::size_t>(row)] = s;
  emit segmentEdited(s);
}

} // namespace medclick::ui
