// CAISeg training pieces on hand-made tensors: the Focus Guided Loss (eq. 8) and its combinations
// (eq. 11, 12), the simulated user of §III-F, and the 3D augmentation's alignment of image and mask.

#include "support/torch_test.h"

#include "clicks/caiseg_click_simulator.h"
#include "training/data/volume_augmentation.h"
#include "losses/focus_guided_loss.h"

#include <cmath>

using namespace medclick;

namespace {

std::vector<float> values(const torch::Tensor& t) {
  const auto c = t.to(torch::kFloat32).contiguous().flatten();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

torch::Tensor box(std::vector<int64_t> size, std::array<int64_t, 3> low, std::array<int64_t, 3> extent) {
  auto m = torch::zeros(size, torch::kBool);
  m.narrow(0, low[0], extent[0]).narrow(1, low[1], extent[1]).narrow(2, low[2], extent[2]).fill_(true);
  return m;
}

bool insideBox(const VoxelPoint& p, std::array<int64_t, 3> low, std::array<int64_t, 3> extent) {
  return p.z >= low[0] && p.z < low[0] + extent[0] && p.y >= low[1] && p.y < low[1] + extent[1] && p.x >= low[2] &&
         p.x < low[2] + extent[2];
}

bool isSet(const torch::Tensor& mask, const VoxelPoint& p) {
  return mask[static_cast<int64_t>(p.z)][static_cast<int64_t>(p.y)][static_cast<int64_t>(p.x)].item<bool>();
}

} // namespace

MEDCLICK_TEST(fg_distance_is_in_millimetres_to_the_nearest_click) {
  CaisegPrompt prompt;
  prompt.spacing = {3.0, 1.0, 1.5};
  prompt.foreground = {{0, 0, 0}};
  const auto d = clickDistanceMillimetres({2, 1, 3}, prompt);
  // voxel (z, y, x) = (0, 0, 2): 2 × 1.5 = 3 mm; (1, 0, 2): √(3² + 3²) = 4.2426 mm.
  EXPECT_NEAR(d[0][0][2].item<float>(), 3.0, 1e-5);
  EXPECT_NEAR(d[1][0][0].item<float>(), 3.0, 1e-5);
  EXPECT_NEAR(d[1][0][2].item<float>(), std::sqrt(18.0), 1e-5);
  prompt.background = {{1, 0, 2}}; // a background click counts as a click too
  const auto both = clickDistanceMillimetres({2, 1, 3}, prompt);
  EXPECT_NEAR(both[1][0][2].item<float>(), 0.0, 1e-6);
  EXPECT_NEAR(both[1][0][1].item<float>(), 1.5, 1e-6);
  EXPECT(!clickDistanceMillimetres({2, 1, 3}, CaisegPrompt{}).defined());
}

MEDCLICK_TEST(fg_weights_match_eq8_at_known_distances) {
  CaisegPrompt prompt;
  prompt.spacing = {1.0, 1.0, 2.0}; // 2 mm columns: d = 0, 2, 4, 6 mm, d_max = 6
  prompt.foreground = {{0, 0, 0}};
  const auto w = values(focusGuidedWeights(clickDistanceMillimetres({1, 1, 4}, prompt), 2.0));
  const std::vector<double> expected{2.0, 1.0 + 4.0 / 9.0, 1.0 + 1.0 / 9.0, 1.0};
  for (size_t i = 0; i < 4; ++i) EXPECT_NEAR(w[i], expected[i], 1e-6);
  // λ = 1: linear, 1 + (6 − 2) / 6 at 2 mm.
  EXPECT_NEAR(values(focusGuidedWeights(clickDistanceMillimetres({1, 1, 4}, prompt), 1.0))[1], 1.0 + 4.0 / 6.0, 1e-6);
  // No click at all: plain BCE (weight 1).
  const auto none = focusGuidedWeightBatch({1, 1, 4}, {CaisegPrompt{}}, 2.0, torch::kCPU);
  EXPECT_NEAR(none.sum().item<float>(), 4.0, 0);
}

MEDCLICK_TEST(fg_loss_weights_bce_per_voxel) {
  const auto p = torch::tensor({0.5f, 0.9f}).view({1, 2});
  const auto y = torch::tensor({1.0f, 0.0f}).view({1, 2});
  const auto w = torch::tensor({2.0f, 1.0f}).view({1, 2});
  // (2 × −ln 0.5 + 1 × −ln 0.1) / 2
  EXPECT_NEAR(focusGuidedLoss(p, y, w)[0].item<float>(), (2 * std::log(2.0) + std::log(10.0)) / 2, 1e-5);
  // From the logit: the same value, and a saturated wrong voxel (p rounds to 1, y = 0) keeps a
  // finite loss (its logit, 40) and the gradient p − y = 1, where BCE on p gives 100 and none.
  EXPECT_NEAR(focusGuidedLoss(p, y, w, torch::log(p / (1 - p)))[0].item<float>(), (2 * std::log(2.0) + std::log(10.0)) / 2, 1e-5);
  const auto logit = torch::full({1, 1}, 40.0f, torch::requires_grad());
  const auto loss = focusGuidedLoss(torch::sigmoid(logit), torch::zeros({1, 1}), torch::ones({1, 1}), logit);
  loss.sum().backward();
  EXPECT_NEAR(loss[0].item<float>(), 40.0, 1e-4);
  EXPECT_NEAR(logit.grad()[0][0].item<float>(), 1.0, 1e-6);
}

MEDCLICK_TEST(dice_loss_on_a_known_overlap) {
  const auto p = torch::tensor({1.0f, 1.0f, 0.0f, 0.0f, 0.5f, 0.5f, 0.0f, 0.0f}).view({2, 4});
  const auto y = torch::tensor({1.0f, 0.0f, 1.0f, 0.0f, 1.0f, 1.0f, 0.0f, 0.0f}).view({2, 4});
  const auto loss = softDiceLoss(p, y);
  EXPECT_NEAR(loss[0].item<float>(), 0.5, 1e-6);        // 1 − 2·1 / 4
  EXPECT_NEAR(loss[1].item<float>(), 1.0 - 2.0 / 3.0, 1e-6); // 1 − 2·1 / (1 + 2)
  EXPECT_NEAR(softDiceLoss(torch::zeros({1, 3}), torch::zeros({1, 3}))[0].item<float>(), 0.0, 0);
}

MEDCLICK_TEST(mu_rises_from_0_3_to_0_6) {
  EXPECT_NEAR(focusGuidedMu(0.0), 0.3, 1e-12);
  EXPECT_NEAR(focusGuidedMu(0.5), 0.45, 1e-12);
  EXPECT_NEAR(focusGuidedMu(1.0), 0.6, 1e-12);
  EXPECT_NEAR(focusGuidedMu(-1.0), 0.3, 1e-12);
  EXPECT_NEAR(focusGuidedMu(3.0), 0.6, 1e-12);
}

MEDCLICK_TEST(eq11_and_eq12_combine_the_terms) {
  const auto y = torch::tensor({1.0f, 0.0f}).view({1, 2});
  const auto w = torch::tensor({2.0f, 1.0f}).view({1, 2});
  const auto a = torch::tensor({0.5f, 0.9f}).view({1, 2});
  const auto b = torch::tensor({0.8f, 0.2f}).view({1, 2});
  const double fgA = (2 * std::log(2.0) + std::log(10.0)) / 2, diceA = 1.0 - 2 * 0.5 / (1.4 + 1.0);
  const double fgB = (2 * -std::log(0.8) + -std::log(0.8)) / 2, diceB = 1.0 - 2 * 0.8 / (1.0 + 1.0);
  const double comA = 0.4 * fgA + 0.6 * diceA, comB = 0.4 * fgB + 0.6 * diceB;
  EXPECT_NEAR(combinedLoss(a, y, w, 0.4).item<float>(), comA, 1e-5);
  const auto logitA = torch::log(a / (1 - a)); // Ŷ enters eq. (12) as its foreground logit
  const auto logitB = torch::log(b / (1 - b)); // so does P̂_cls
  EXPECT_NEAR(caisegLoss(logitA, logitB, y, w, 0.4, 0.5).item<float>(), 0.5 * comA + 0.5 * comB, 1e-5);
  EXPECT_NEAR(caisegLoss(logitA, logitB, y, w, 0.4, 1.0).item<float>(), comA, 1e-5);
  // A saturated P̂_cls (logit -200 where the target is 1) still has a gradient through its logit.
  auto saturated = torch::tensor({-200.0f, -200.0f}).view({1, 2}).requires_grad_(true);
  caisegLoss(logitA, saturated, y, w, 0.4, 0.0).backward();
  EXPECT(saturated.grad().abs().sum().item<float>() > 0.1f);
}

MEDCLICK_TEST(components_are_6_connected) {
  auto m = torch::zeros({4, 4, 4}, torch::kBool);
  m[0][0][0] = true;
  m[0][0][1] = true; // face neighbour: same component
  m[1][1][1] = true; // touches (0, 0, 1) only at an edge: its own component
  m[3][3][3] = true;
  const auto c = connectedComponents(m);
  EXPECT(c.sizes == std::vector<int64_t>({2, 1, 1}));
  EXPECT(c.labels[0][0][1].item<int>() == 1 && c.labels[1][1][1].item<int>() == 2 && c.labels[3][3][3].item<int>() == 3);
}

MEDCLICK_TEST(first_round_points_lie_in_the_eroded_lesion_and_the_band) {
  const std::vector<int64_t> size{32, 32, 32};
  const auto lesion = box(size, {10, 10, 10}, {10, 10, 10});
  CaisegClickOptions o; // erosion 3 mm, band 10 mm
  size_t foreground = 0, background = 0;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    std::mt19937_64 random(seed);
    const auto prompt = firstRoundPrompt(lesion, {1.0, 1.0, 1.0}, o, random);
    EXPECT(prompt.foreground.size() >= 1 && prompt.foreground.size() <= 10);
    EXPECT(prompt.background.size() <= 20);
    for (const auto& p : prompt.foreground) EXPECT(insideBox(p, {13, 13, 13}, {4, 4, 4})); // eroded by 3 voxels
    for (const auto& p : prompt.background) EXPECT(insideBox(p, {0, 0, 0}, {30, 30, 30}) && !isSet(lesion, p)); // ±10 box outside
    foreground += prompt.foreground.size();
    background += prompt.background.size();
  }
  EXPECT(foreground > 40 && background > 40); // counts vary over the range, not stuck at an end
}

MEDCLICK_TEST(anisotropic_erosion_is_in_millimetres) {
  const auto lesion = box({8, 32, 32}, {2, 10, 10}, {4, 10, 10});
  std::mt19937_64 random(3);
  CaisegClickOptions o;
  o.minForeground = 10;
  // 6.5 mm slices: 3 mm erodes no slice; 1 mm in-plane: 3 voxels.
  const auto prompt = firstRoundPrompt(lesion, {6.5, 1.0, 1.0}, o, random);
  for (const auto& p : prompt.foreground) EXPECT(insideBox(p, {2, 13, 13}, {4, 4, 4}));
  const auto eroded = erodeMillimetres(lesion, {6.5, 1.0, 1.0}, 3.0);
  EXPECT(eroded.sum().item<int64_t>() == 4 * 4 * 4);
  const auto dilated = dilateMillimetres(lesion, {6.5, 1.0, 1.0}, 7.0); // one slice, seven columns each way
  EXPECT(dilated.sum().item<int64_t>() == 6 * 24 * 24);
}

MEDCLICK_TEST(later_rounds_click_each_error_region_above_10_percent) {
  const std::vector<int64_t> size{32, 32, 32};
  const auto lesion = box(size, {5, 5, 5}, {10, 10, 10}); // 1000 voxels: threshold 100
  auto prediction = lesion.clone();
  prediction.narrow(0, 5, 5).narrow(1, 5, 5).narrow(2, 5, 5).fill_(false);   // missed 125 voxels: one foreground point
  prediction.narrow(0, 20, 5).narrow(1, 20, 5).narrow(2, 20, 5).fill_(true); // false alarm of 125: one background point
  prediction.narrow(0, 26, 4).narrow(1, 5, 4).narrow(2, 5, 4).fill_(true);   // false alarm of 64 < 100: none
  for (uint64_t seed = 0; seed < 5; ++seed) {
    std::mt19937_64 random(seed);
    CaisegPrompt prompt;
    EXPECT(addErrorRegionPoints(prompt, prediction, lesion, CaisegClickOptions{}, random) == 2);
    EXPECT(prompt.foreground.size() == 1 && prompt.background.size() == 1);
    EXPECT(insideBox(prompt.foreground[0], {5, 5, 5}, {5, 5, 5}));
    EXPECT(insideBox(prompt.background[0], {20, 20, 20}, {5, 5, 5}));
  }
  // Without a lesion every false-positive region counts, at most maxPointsPerRound of them.
  auto specks = torch::zeros({32, 32, 32}, torch::kBool);
  specks.slice(0, 0, 32, 2).slice(1, 0, 32, 2).slice(2, 0, 32, 2).fill_(true); // 4096 isolated voxels
  CaisegPrompt capped;
  std::mt19937_64 cappedRandom(1);
  EXPECT(addErrorRegionPoints(capped, specks, torch::zeros({32, 32, 32}, torch::kBool), CaisegClickOptions{}, cappedRandom) == 20);
  EXPECT(capped.foreground.empty() && capped.background.size() == 20);
  const auto largest = largestErrorRegionPoint(prediction, lesion, {1.0, 1.0, 1.0});
  EXPECT(largest && largest->foreground); // the two biggest are equal: the missed part comes first
  EXPECT_NEAR(largest->point.z, 7.0, 0);  // the voxel at the region's centroid (7, 7, 7)
  EXPECT_NEAR(largest->point.x, 7.0, 0);
  EXPECT(!largestErrorRegionPoint(lesion, lesion, {1.0, 1.0, 1.0}));
}

MEDCLICK_TEST(click_simulation_is_deterministic_per_seed) {
  const auto lesion = box({32, 32, 32}, {8, 9, 10}, {12, 11, 9});
  const auto draw = [&](uint64_t seed) {
    std::mt19937_64 random(seed);
    const auto p = firstRoundPrompt(lesion, {1.5, 1.0, 1.0}, CaisegClickOptions{}, random);
    std::vector<double> all;
    for (const auto& v : p.foreground) all.insert(all.end(), {v.z, v.y, v.x});
    for (const auto& v : p.background) all.insert(all.end(), {-v.z, -v.y, -v.x});
    return all;
  };
  EXPECT(draw(11) == draw(11));
  EXPECT(draw(11) != draw(12));
}

MEDCLICK_TEST(flips_keep_a_thresholded_image_equal_to_its_mask) {
  const auto image = torch::rand({16, 20, 24});
  const auto mask = image.gt(0.7).to(torch::kUInt8);
  VolumeAugmentationOptions o;
  o.flipProbability = 1.0;
  o.noiseProbability = o.affineProbability = o.biasFieldProbability = o.elasticProbability = 0.0;
  for (uint64_t seed = 0; seed < 6; ++seed) {
    std::mt19937_64 random(seed);
    const auto out = augmentVolume(image, mask, {1.0, 1.0, 1.0}, o, random);
    EXPECT(out.image.sizes() == image.sizes() && out.mask.sizes() == image.sizes());
    EXPECT(out.mask.equal(out.image.gt(0.7).to(torch::kUInt8)));
  }
}

MEDCLICK_TEST(affine_moves_image_and_mask_together) {
  // An off-centre ball: the image is the mask as floats. After rotation and scaling both must still
  // agree (up to trilinear vs nearest at the rim), and the ball must have moved.
  for (const VoxelSpacing spacing : {VoxelSpacing{1.0, 1.0, 1.0}, VoxelSpacing{3.0, 1.0, 1.0}}) {
    const int64_t D = 24, H = 40, W = 40;
    const auto z = torch::arange(D).view({-1, 1, 1}).to(torch::kFloat32) * spacing.z;
    const auto y = torch::arange(H).view({1, -1, 1}).to(torch::kFloat32);
    const auto x = torch::arange(W).view({1, 1, -1}).to(torch::kFloat32);
    const auto ball = ((z - 12 * spacing.z).square() + (y - 12).square() + (x - 26).square()).le(64);
    const auto out = affineTransformVolume(ball.to(torch::kFloat32), ball.to(torch::kUInt8), spacing, {10.0, -8.0, 6.0}, {1.1, 0.95, 0.9});
    const auto fromImage = out.image.gt(0.5);
    const auto fromMask = out.mask.gt(0);
    // Trilinear and nearest differ only on the rim: within one voxel of the mask's boundary ...
    const auto disagree = fromImage.logical_xor(fromMask);
    const auto rim = dilateMillimetres(fromMask, {1, 1, 1}, 1.0).logical_and(erodeMillimetres(fromMask, {1, 1, 1}, 1.0).logical_not());
    EXPECT(disagree.logical_and(rim.logical_not()).sum().item<int64_t>() == 0);
    EXPECT(disagree.sum().item<int64_t>() < fromMask.sum().item<int64_t>() / 10);
    // ... and the two have the same centre (a shifted mask would move it by a voxel or more).
    const auto centre = [](const torch::Tensor& m) { return m.nonzero().to(torch::kFloat64).mean(0); };
    EXPECT((centre(fromImage) - centre(fromMask)).abs().max().item<double>() < 0.2);
    EXPECT(fromMask.logical_xor(ball).sum().item<int64_t>() > ball.sum().item<int64_t>() / 10); // it did move
  }
}

MEDCLICK_TEST(elastic_deformation_moves_voxels_by_at_most_its_displacement_and_keeps_the_faces) {
  // The image is the x coordinate in millimetres, so out − in is the field's x displacement where the
  // trilinear sample stays inside; the mask is the image thresholded at 20 mm.
  const int64_t D = 12, H = 24, W = 30;
  const VoxelSpacing spacing{2.0, 1.0, 1.5}; // z, y, x
  const auto image = (torch::arange(W).to(torch::kFloat32) * spacing.x).view({1, 1, W}).expand({D, H, W}).contiguous();
  const auto mask = image.gt(20.0).to(torch::kUInt8);
  std::mt19937_64 random(7);
  const auto out = elasticDeformVolume(image, mask, spacing, 7, 7.5, random);
  // Along x a control point moves at most min(7.5, 0.4 · 45 mm / 6) = 3 mm.
  const double limit = 3.0;
  const auto inner = [](const torch::Tensor& t) { return t.slice(0, 2, -2).slice(1, 3, -3).slice(2, 3, -3); };
  const auto moved = inner(out.image - image).abs();
  EXPECT(moved.max().item<double>() <= limit + 1e-3);
  EXPECT(moved.max().item<double>() > 0.3 * limit); // it did deform
  // The faces do not move: the outer control points are fixed.
  EXPECT((out.image.select(1, 0) - image.select(1, 0)).abs().max().item<double>() < 1e-3);
  EXPECT((out.image.select(0, D - 1) - image.select(0, D - 1)).abs().max().item<double>() < 1e-3);
  // The mask moves with the image: away from the threshold (more than a voxel) they agree.
  const auto clear = (out.image - 20.0).abs().gt(spacing.x);
  EXPECT(out.mask.gt(0).logical_xor(out.image.gt(20.0)).logical_and(clear).sum().item<int64_t>() == 0);
  EXPECT(out.mask.max().item<int>() == 1 && out.mask.min().item<int>() == 0);
  // The same seed, the same field; another seed, another.
  std::mt19937_64 same(7), other(8);
  EXPECT(elasticDeformVolume(image, mask, spacing, 7, 7.5, same).image.equal(out.image));
  EXPECT(!elasticDeformVolume(image, mask, spacing, 7, 7.5, other).image.equal(out.image));
  EXPECT_THROWS_WITH(std::invalid_argument, elasticDeformVolume(image, mask, spacing, 2, 7.5, random), "at least 3 control points");
}

MEDCLICK_TEST(intensity_transforms_leave_the_mask_alone) {
  const auto image = torch::rand({16, 16, 16}) + 0.5;
  const auto mask = image.gt(1.0).to(torch::kUInt8);
  VolumeAugmentationOptions o;
  o.flipProbability = o.affineProbability = o.elasticProbability = 0.0;
  o.noiseProbability = o.biasFieldProbability = 1.0;
  std::mt19937_64 random(5);
  const auto out = augmentVolume(image, mask, {1.0, 1.0, 1.0}, o, random);
  EXPECT(out.mask.equal(mask));
  EXPECT(!out.image.equal(image));
  std::mt19937_64 fieldRandom(1);
  const auto constant = biasField({2, 3, 4}, 0, 0.5, fieldRandom); // order 0: exp(c), c in ±0.5
  EXPECT_NEAR((constant.max() - constant.min()).item<float>(), 0.0, 1e-6);
  EXPECT(constant[0][0][0].item<float>() >= std::exp(-0.5) && constant[0][0][0].item<float>() <= std::exp(0.5));
}

MEDCLICK_TEST_MAIN()
