#pragma once
// The tool bar above the views: the model chooser with its Weights… button, the Auto action, the
// device, the brush size and the mask opacity. It remembers its choices in the settings and says
// what changed; what a choice does is the main window's business.

#include <QToolBar>

class QComboBox;
class QSlider;
class QSpinBox;

namespace medclick::ui {

class SegmentationToolBar : public QToolBar {
  Q_OBJECT

public:
  // The model labels in chooser order; autoAction is placed after the Weights… button.
  SegmentationToolBar(const QStringList& modelLabels, QAction* autoAction, QWidget* parent = nullptr);

  int modelIndex() const;
  QString device() const;
  int brushSize() const; // diameter in pixels
  double opacity() const; // 0..1
  void addModel(const QString& label); // appended and chosen (modelChanged follows)
  void rememberViewSettings() const;   // brush and opacity, at a clean close

signals:
  void modelChanged(); // the model or the device
  void weightsFileChosen(QString path);
  void brushSizeChanged(int diameter);
  void opacityChanged(double opacity);

private:
  QComboBox* modelCombo_;
  QComboBox* deviceCombo_;
  QSpinBox* brushSize_;
  QSlider* opacity_;
};

} // namespace medclick::ui
