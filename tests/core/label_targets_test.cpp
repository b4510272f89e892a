// Label targets (issue 24): every label of a multi-label reference (BraTS's sub-regions) as a binary
// target of its own, labels too small left out, none for a one-label mask.

#include "core/data/label_targets.h"

#include <QtTest>

#include <algorithm>

using namespace medclick;

class LabelTargetsTest : public QObject {
  Q_OBJECT

private slots:
  void each_label_above_the_minimum_is_a_binary_target() {
    ImageGeometry g{3, {10, 10, 5}};
    LabelMask labels(g);
    std::fill(labels.labels().begin(), labels.labels().begin() + 150, Label{2}); // 150 voxels of oedema
    std::fill(labels.labels().begin() + 200, labels.labels().begin() + 320, Label{4}); // 120 enhancing
    std::fill(labels.labels().begin() + 400, labels.labels().begin() + 450, Label{1}); // 50 necrosis: too small
    const auto targets = labelTargets(labels);
    QCOMPARE(targets.size(), std::size_t{2});
    QCOMPARE(int(targets[0].label), 2);
    QCOMPARE(int(targets[1].label), 4);
    QCOMPARE(targets[0].mask.countNonZero(), std::size_t{150});
    QCOMPARE(targets[1].mask.countNonZero(), std::size_t{120});
    QCOMPARE(int(targets[1].mask.maximumLabel()), 1); // binary
    QCOMPARE(int(targets[1].mask.labels()[200]), 1);
    QCOMPARE(int(targets[1].mask.labels()[100]), 0); // oedema is background for the enhancing target
    QVERIFY(targets[0].mask.geometry().size == g.size);
    QCOMPARE(labelTargets(labels, 10).size(), std::size_t{3}); // with a lower minimum necrosis counts
    // One label: the whole mask is already the target.
    std::replace(labels.labels().begin(), labels.labels().end(), Label{4}, Label{2});
    std::replace(labels.labels().begin(), labels.labels().end(), Label{1}, Label{2});
    QVERIFY(labelTargets(labels).empty());
  }
};

QTEST_GUILESS_MAIN(LabelTargetsTest)
#include "label_targets_test.moc"
