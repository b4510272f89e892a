#pragma once
// Checks the app tests make on what `segment` wrote: the mask and the probability map lie on the
// input image's grid, the mask is binary and the probabilities are in [0, 1].

#include "io/image_reader.h"
#include "io/mask_reader.h"

#include <QString>
#include <QtTest>

namespace medclick::test {

inline void expectGeometryKept(const QString& imagePath, const QString& maskPath, const QString& probabilityPath) {
  const ImageGeometry input = readImage(imagePath.toStdString()).geometry();
  const LabelMask mask = readMask(maskPath.toStdString());
  QVERIFY2(mask.geometry().sameGridAs(input), qPrintable(QString::fromStdString(mask.geometry().describe() + " vs " + input.describe())));
  QVERIFY(mask.maximumLabel() <= 1);
  const Image probability = readImage(probabilityPath.toStdString());
  QVERIFY(probability.geometry().sameGridAs(input));
  const auto stats = probability.statistics();
  QVERIFY(stats.minimum >= 0.0 && stats.maximum <= 1.0);
}

} // namespace medclick::test
