// IKAN eq. (1): SoftIoU per round with ignored pixels, and the iteration loss weighted by W_t.

#include "support/torch_test.h"

#include "losses/soft_iou_loss.h"

using namespace medclick;

MEDCLICK_TEST(soft_iou_matches_hand_computed_value_with_ignored_pixel) {
  // ŷ = [0.5, 1, 0, 0.2], y = [1, 1, 0, -1]: sum(ŷ y w) = 1.5, sum(max(ŷ, y) w) = 1 + 1 + 0 = 2.
  const auto prediction = torch::tensor({0.5f, 1.0f, 0.0f, 0.2f}).view({1, 4});
  const auto target = torch::tensor({1.0f, 1.0f, 0.0f, -1.0f}).view({1, 4});
  EXPECT_NEAR(softIoULoss(prediction, target)[0].item<float>(), 1.0 - 1.5 / 2.0, 1e-6);
}

MEDCLICK_TEST(soft_iou_is_zero_for_a_perfect_prediction_and_one_for_a_disjoint_one) {
  const auto target = torch::tensor({0.0f, 1.0f, 1.0f, 0.0f}).view({1, 1, 2, 2});
  EXPECT_NEAR(softIoULoss(target.clone(), target)[0].item<float>(), 0.0, 1e-7);
  EXPECT_NEAR(softIoULoss(1.0 - target, target)[0].item<float>(), 1.0, 1e-7);
  // Nothing to find and nothing predicted is a perfect answer, not 0/0.
  const auto zeros = torch::zeros({1, 1, 2, 2});
  EXPECT_NEAR(softIoULoss(zeros, zeros)[0].item<float>(), 0.0, 0);
}

MEDCLICK_TEST(soft_iou_is_per_sample) {
  const auto prediction = torch::tensor({1.0f, 0.0f, 0.5f, 0.5f}).view({2, 2});
  const auto target = torch::tensor({1.0f, 0.0f, 1.0f, 1.0f}).view({2, 2});
  const auto loss = softIoULoss(prediction, target);
  EXPECT(loss.sizes() == at::IntArrayRef({2}));
  EXPECT_NEAR(loss[0].item<float>(), 0.0, 1e-7);
  EXPECT_NEAR(loss[1].item<float>(), 0.5, 1e-7); // 1 / 2
}

MEDCLICK_TEST(iteration_loss_weights_rounds_increasingly) {
  const auto target = torch::tensor({1.0f, 1.0f}).view({1, 2});
  const auto round1 = torch::tensor({0.5f, 0.5f}).view({1, 2}); // L1 = 0.5
  const auto round2 = torch::tensor({1.0f, 0.5f}).view({1, 2}); // L2 = 0.25
  const auto weights = increasingRoundWeights(2);
  EXPECT(weights == std::vector<double>({1.0, 2.0}));
  EXPECT_NEAR(iterationLoss({round1, round2}, target, weights).item<float>(), 1 * 0.5 + 2 * 0.25, 1e-6);
}

MEDCLICK_TEST(iteration_loss_has_gradient_towards_the_target) {
  const auto target = torch::tensor({1.0f, 0.0f}).view({1, 2});
  auto prediction = torch::tensor({0.5f, 0.5f}).view({1, 2}).requires_grad_(true);
  iterationLoss({prediction}, target, {1.0}).backward();
  EXPECT(prediction.grad()[0][0].item<float>() < 0); // raising the object pixel lowers the loss
  EXPECT(prediction.grad()[0][1].item<float>() > 0); // raising the background pixel raises it
}

MEDCLICK_TEST(mismatched_inputs_are_refused) {
  EXPECT_THROWS_WITH(std::invalid_argument, softIoULoss(torch::zeros({1, 2}), torch::zeros({1, 3})), "shapes differ");
  EXPECT_THROWS_WITH(std::invalid_argument, iterationLoss({torch::zeros({1, 2})}, torch::zeros({1, 2}), {1.0, 2.0}), "one weight");
}

MEDCLICK_TEST_MAIN()
