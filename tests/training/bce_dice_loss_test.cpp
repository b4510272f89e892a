// KANU-Net's loss: α · BCE + (1 − α) · Dice with α = 0.2, on hand-computed cases.

#include "support/torch_test.h"

#include "losses/bce_dice_loss.h"

#include <cmath>

using namespace medclick;

namespace {

torch::Tensor logitsOf(std::initializer_list<float> probabilities) {
  const auto p = torch::tensor(std::vector<float>(probabilities));
  return torch::log(p / (1.0 - p));
}

} // namespace

MEDCLICK_TEST(bce_dice_loss_matches_hand_computed_value) {
  // p = [0.8, 0.4], y = [1, 0]:
  //   BCE  = −(ln 0.8 + ln 0.6) / 2 = 0.366985
  //   Dice = 1 − 2 · 0.8 / ((0.8 + 0.4) + 1) = 1 − 1.6 / 2.2 = 0.272727
  //   Loss = 0.2 · 0.366985 + 0.8 · 0.272727 = 0.291579
  const auto logits = logitsOf({0.8f, 0.4f}).view({1, 1, 2});
  const auto target = torch::tensor({1.0f, 0.0f}).view({1, 1, 2});
  const double bce = -(std::log(0.8) + std::log(0.6)) / 2.0;
  const double dice = 1.0 - 1.6 / 2.2;
  EXPECT_NEAR(bceDiceLoss(logits, target).item<float>(), 0.2 * bce + 0.8 * dice, 1e-5);
  EXPECT_NEAR(bceDiceLoss(logits, target).item<float>(), 0.291579, 1e-5);
  EXPECT_NEAR(kKanUnetLossAlpha, 0.2, 0);
}

MEDCLICK_TEST(bce_dice_loss_averages_images_and_classes) {
  // Class 0 as above (0.291579); class 1 predicts [0.5, 0.5] for y = [0, 1]:
  //   BCE = ln 2 = 0.693147, Dice = 1 − 2 · 0.5 / (1 + 1) = 0.5, Loss = 0.138629 + 0.4 = 0.538629.
  const auto logits = torch::stack({logitsOf({0.8f, 0.4f}), logitsOf({0.5f, 0.5f})}).view({1, 2, 2});
  const auto target = torch::tensor({1.0f, 0.0f, 0.0f, 1.0f}).view({1, 2, 2});
  EXPECT_NEAR(bceDiceLoss(logits, target).item<float>(), (0.291579 + 0.538629) / 2.0, 1e-5);
}

MEDCLICK_TEST(bce_dice_loss_weights_follow_alpha) {
  const auto logits = logitsOf({0.8f, 0.4f}).view({1, 1, 2});
  const auto target = torch::tensor({1.0f, 0.0f}).view({1, 1, 2});
  EXPECT_NEAR(bceDiceLoss(logits, target, 1.0).item<float>(), 0.366985, 1e-5);
  EXPECT_NEAR(bceDiceLoss(logits, target, 0.0).item<float>(), 0.272727, 1e-5);
}

MEDCLICK_TEST(bce_dice_loss_has_gradient_towards_the_target) {
  const auto target = torch::tensor({1.0f, 0.0f}).view({1, 1, 2});
  auto logits = torch::zeros({1, 1, 2}).requires_grad_(true);
  bceDiceLoss(logits, target).backward();
  EXPECT(logits.grad()[0][0][0].item<float>() < 0);
  EXPECT(logits.grad()[0][0][1].item<float>() > 0);
}

MEDCLICK_TEST(bce_dice_loss_refuses_mismatched_shapes) {
  EXPECT_THROWS_WITH(std::invalid_argument, bceDiceLoss(torch::zeros({1, 1, 2}), torch::zeros({1, 1, 3})), "shapes differ");
  EXPECT_THROWS_WITH(std::invalid_argument, bceDiceLoss(torch::zeros({1, 1, 2}), torch::zeros({1, 1, 2}), 1.5), "alpha");
}

MEDCLICK_TEST_MAIN()
