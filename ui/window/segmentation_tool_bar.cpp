#include "window/segmentation_tool_bar.h"

#include <QComboBox>
#include <QFileDialog>
#include <QLabel>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>

#include <algorithm>

namespace medclick::ui {

SegmentationToolBar::SegmentationToolBar(const QStringList& modelLabels, QAction* autoAction, QWidget* parent)
    : QToolBar(tr("Segmentation"), parent), modelCombo_(new QComboBox), deviceCombo_(new QComboBox), brushSize_(new QSpinBox),
      opacity_(new QSlider(Qt::Horizontal)) {
  setObjectName("segmentationToolBar");
  QSettings settings;
  addWidget(new QLabel(tr(" Model: ")));
  modelCombo_->setObjectName("modelCombo");
  modelCombo_->addItems(modelLabels);
  modelCombo_->setCurrentIndex(std::clamp(settings.value("engine/modelIndex", 0).toInt(), 0, std::max(0, int(modelLabels.size()) - 1)));
  addWidget(modelCombo_);
  addAction(tr("Weights…"), this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose Weights"), QString(), tr("Safetensors (*.safetensors)"));
    if (!path.isEmpty()) emit weightsFileChosen(path);
  });
  addAction(autoAction);
  addWidget(new QLabel(tr(" Device: ")));
  deviceCombo_->addItems({"auto", "cpu", "cuda"});
  deviceCombo_->setCurrentText(settings.value("engine/device", "auto").toString());
  addWidget(deviceCombo_);
  const auto chosen = [this] {
    QSettings s;
    s.setValue("engine/modelIndex", modelCombo_->currentIndex());
    s.setValue("engine/device", deviceCombo_->currentText());
    emit modelChanged();
  };
  connect(modelCombo_, &QComboBox::currentIndexChanged, this, chosen);
  connect(deviceCombo_, &QComboBox::currentIndexChanged, this, chosen);

  addSeparator();
  addWidget(new QLabel(tr(" Brush: ")));
  brushSize_->setRange(1, 200);
  brushSize_->setValue(settings.value("view/brushSize", 10).toInt());
  brushSize_->setSuffix(tr(" px"));
  connect(brushSize_, &QSpinBox::valueChanged, this, &SegmentationToolBar::brushSizeChanged);
  addWidget(brushSize_);
  addWidget(new QLabel(tr(" Opacity: ")));
  opacity_->setRange(0, 100);
  opacity_->setMaximumWidth(120);
  opacity_->setValue(settings.value("view/opacity", 45).toInt());
  connect(opacity_, &QSlider::valueChanged, this, [this](int v) { emit opacityChanged(v / 100.0); });
  addWidget(opacity_);
}

int SegmentationToolBar::modelIndex() const { return modelCombo_->currentIndex(); }
QString SegmentationToolBar::device() const { return deviceCombo_->currentText(); }
int SegmentationToolBar::brushSize() const { return brushSize_->value(); }
double SegmentationToolBar::opacity() const { return opacity_->value() / 100.0; }

void SegmentationToolBar::addModel(const QString& label) {
  modelCombo_->addItem(label);
  modelCombo_->setCurrentIndex(modelCombo_->count() - 1);
}

void SegmentationToolBar::rememberViewSettings() const {
  QSettings settings;
  settings.setValue("view/brushSize", brushSize_->value());
  settings.setValue("view/opacity", opacity_->value());
}

} // namespace medclick::ui
