#include "view/cursor_readout.h"

#include <QHBoxLayout>
#include <QLabel>

namespace medclick::ui {

CursorReadout::CursorReadout(QWidget* parent) : QWidget(parent), voxel_(new QLabel), position_(new QLabel), intensity_(new QLabel) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  for (QLabel* l : {voxel_, position_, intensity_}) layout->addWidget(l);
}

void CursorReadout::showVoxel(const Image* image, std::optional<std::array<std::size_t, 3>> voxel) {
  if (!voxel || !image) {
    for (QLabel* l : {voxel_, position_, intensity_}) l->clear();
    return;
  }
  const auto [i, j, k] = *voxel;
  const auto p = image->geometry().indexToPhysical({double(i), double(j), double(k)});
  voxel_->setText(tr("Voxel (%1, %2, %3)").arg(i).arg(j).arg(k));
  position_->setText(tr("Position (%1, %2, %3) mm").arg(p[0], 0, 'f', 1).arg(p[1], 0, 'f', 1).arg(p[2], 0, 'f', 1));
  QString value = QString::number(image->at(i, j, k, 0), 'g', 5);
  if (image->isRgb()) value = QStringLiteral("%1, %2, %3").arg(value).arg(image->at(i, j, k, 1)).arg(image->at(i, j, k, 2));
  intensity_->setText(tr("Intensity %1").arg(value));
}

QString CursorReadout::text() const {
  return QStringList{voxel_->text(), position_->text(), intensity_->text()}.join(' ').trimmed();
}

} // namespace medclick::ui
