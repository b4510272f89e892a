// Object crops for per-object training (issue 24): one square crop per object of a 2D mask, twice the
// object's size and at least the minimum side, centred on it and shifted inside the image, holding
// the image's own pixels and that object alone as target; small objects are left out.

#include "core/data/object_crops.h"

#include <QtTest>

#include <numeric>

using namespace medclick;

class ObjectCropsTest : public QObject {
  Q_OBJECT

private slots:
  void each_object_gets_its_own_crop_inside_the_image() {
    ImageGeometry g{2, {200, 150, 1}};
    Image image(g, 1, PixelType::UInt8);
    image.voxels().resize(g.voxelCount());
    std::iota(image.voxels().begin(), image.voxels().end(), 0.0f); // every pixel its own value
    LabelMask mask(g);
    const auto fill = [&](int x0, int y0, int w, int h) {
      for (int y = y0; y < y0 + h; ++y)
        for (int x = x0; x < x0 + w; ++x) mask.labels()[static_cast<std::size_t>(y) * 200 + x] = 1;
    };
    fill(20, 30, 10, 6);    // 60 px near the top left
    fill(150, 120, 4, 4);   // 16 px near the bottom right
    fill(100, 70, 3, 1);    // 3 px: left out
    fill(60, 20, 90, 100);  // 9000 px: its crop is as large as the image allows
    const std::vector<ObjectCrop> crops = objectCrops(image, mask, 10, 96);
    QCOMPARE(crops.size(), std::size_t(3));
    std::vector<std::size_t> areas;
    for (const ObjectCrop& crop : crops) {
      QVERIFY(crop.x0 >= 0 && crop.y0 >= 0 && crop.x0 + crop.side <= 200 && crop.y0 + crop.side <= 150);
      QCOMPARE(crop.pixels.size(), static_cast<std::size_t>(crop.side) * crop.side);
      // The image's own pixels, at their place.
      QCOMPARE(crop.pixels[static_cast<std::size_t>(crop.side) + 1], image.at(crop.x0 + 1, crop.y0 + 1));
      areas.push_back(static_cast<std::size_t>(std::count(crop.mask.begin(), crop.mask.end(), 1)));
    }
    std::sort(areas.begin(), areas.end());
    QVERIFY((areas == std::vector<std::size_t>{16, 60, 9000})); // each crop's target is its object alone
    for (const ObjectCrop& crop : crops) {
      const auto area = std::count(crop.mask.begin(), crop.mask.end(), 1);
      if (area == 60) { // 96 px (twice 10 is less), centred at x 25 and shifted to the border
        QCOMPARE(crop.side, 96);
        QCOMPARE(crop.x0, 0);
        QCOMPARE(crop.y0, 0);
      } else if (area == 16) {
        QCOMPARE(crop.side, 96);
        QCOMPARE(crop.x0, 200 - 96);
        QCOMPARE(crop.y0, 150 - 96);
      } else {
        QCOMPARE(crop.side, 150); // twice 100 would pass the image's height
      }
    }
    QVERIFY(objectCrops(image, mask, 100000, 96).empty());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, objectCrops(image, LabelMask(ImageGeometry{2, {20, 20, 1}}), 10, 96));
  }
};

QTEST_GUILESS_MAIN(ObjectCropsTest)
#include "object_crops_test.moc"
