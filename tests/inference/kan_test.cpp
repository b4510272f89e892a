// KAN layers: closed-form cubic B-spline bases against the Cox–de Boor definition, KANLinear's
// formula, the Haar transform of the wavelet convolution, and the token blocks' shapes.

#include "support/torch_test.h"

#include "kan/b_spline_bases.h"
#include "kan/kan_block.h"
#include "kan/kan_linear.h"
#include "kan/wavelet_conv.h"

using namespace medclick;

MEDCLICK_TEST(closed_form_bases_match_cox_de_boor_inside_and_outside_the_grid) {
  torch::manual_seed(3);
  const SplineGrid grid;
  const auto x = torch::rand({4000}) * 5.0 - 2.5; // well beyond the extended grid [-2.2, 2.2)
  const auto closed = cubicBSplineBases(x, grid);
  const auto reference = coxDeBoorBSplineBases(x, grid);
  EXPECT(closed.sizes() == at::IntArrayRef({4000, 8}));
  EXPECT_NEAR((closed - reference).abs().max().item<float>(), 0.0, 2e-6);
}

MEDCLICK_TEST(bases_at_a_knot_are_one_sixth_four_sixths_one_sixth) {
  const SplineGrid grid; // knots -2.2, -1.8, ..., 2.2; x = -0.2 is knot 5
  const auto b = cubicBSplineBases(torch::tensor({-0.2f}), grid)[0];
  EXPECT_NEAR(b[2].item<float>(), 1.0 / 6.0, 1e-6);
  EXPECT_NEAR(b[3].item<float>(), 4.0 / 6.0, 1e-6);
  EXPECT_NEAR(b[4].item<float>(), 1.0 / 6.0, 1e-6);
  EXPECT_NEAR(b[5].item<float>(), 0.0, 1e-7);
  EXPECT_NEAR(b.sum().item<float>(), 1.0, 1e-6);
}

MEDCLICK_TEST(bases_sum_to_one_on_the_grid_range_and_vanish_outside) {
  const auto inside = torch::linspace(-1.0, 0.999, 101);
  EXPECT_NEAR((cubicBSplineBases(inside, SplineGrid{}).sum(-1) - 1.0).abs().max().item<float>(), 0.0, 1e-6);
  EXPECT_NEAR(cubicBSplineBases(torch::tensor({2.3f, -2.3f}), SplineGrid{}).abs().sum().item<float>(), 0.0, 0.0);
}

MEDCLICK_TEST(kan_linear_is_silu_base_plus_scaled_spline) {
  torch::manual_seed(5);
  KANLinear layer(KANLinearOptions(3, 2));
  const auto x = torch::randn({7, 3}) * 0.8;
  const auto expected = torch::silu(x).matmul(layer->base_weight.t()) +
                        coxDeBoorBSplineBases(x, SplineGrid{}).reshape({7, 24}).matmul(
                            (layer->spline_weight * layer->spline_scaler.unsqueeze(-1)).reshape({2, 24}).t());
  EXPECT_NEAR((layer(x) - expected).abs().max().item<float>(), 0.0, 1e-5);
  EXPECT(layer->grid.sizes() == at::IntArrayRef({3, 12}));
  EXPECT(layer(torch::randn({2, 4, 3})).sizes() == at::IntArrayRef({2, 4, 2}));
}

MEDCLICK_TEST(kan_linear_gradients_reach_every_parameter_and_the_input) {
  KANLinear layer(KANLinearOptions(4, 3));
  auto x = torch::randn({5, 4}, torch::requires_grad());
  layer(x).square().sum().backward();
  EXPECT(x.grad().abs().sum().item<float>() > 0);
  for (const auto& p : layer->parameters()) EXPECT(p.grad().defined() && p.grad().abs().sum().item<float>() > 0);
}

MEDCLICK_TEST(haar_transform_is_exactly_invertible_and_orthonormal) {
  torch::manual_seed(1);
  const auto x = torch::randn({2, 3, 8, 6});
  const auto bands = haarForward(x);
  EXPECT(bands.sizes() == at::IntArrayRef({2, 3, 4, 4, 3}));
  EXPECT_NEAR((haarInverse(bands) - x).abs().max().item<float>(), 0.0, 1e-5);
  EXPECT_NEAR(bands.square().sum().item<float>(), x.square().sum().item<float>(), 1e-2); // energy kept
  // A constant c: LL = 2c (four samples times 1/2), the detail bands are zero.
  const auto constant = haarForward(torch::full({1, 1, 2, 2}, 3.0f));
  EXPECT_NEAR(constant[0][0][0][0][0].item<float>(), 6.0, 1e-6);
  EXPECT_NEAR(constant[0][0].narrow(0, 1, 3).abs().sum().item<float>(), 0.0, 1e-6);
}

MEDCLICK_TEST(wavelet_conv_keeps_shape_for_odd_sizes) {
  WaveletConv conv(WaveletConvOptions(5));
  EXPECT(conv(torch::randn({1, 5, 7, 9})).sizes() == at::IntArrayRef({1, 5, 7, 9}));
}

MEDCLICK_TEST(kan_block_is_residual_and_patch_embed_halves_the_grid) {
  PatchEmbed embed(8, 12);
  const Tokens tokens = embed(torch::randn({2, 8, 16, 12}));
  EXPECT(tokens.height == 8 && tokens.width == 6);
  EXPECT(tokens.values.sizes() == at::IntArrayRef({2, 48, 12}));
  KANBlock block(12);
  block->eval();
  EXPECT(block(tokens.values, 8, 6).sizes() == tokens.values.sizes());
  EXPECT(imageToTokens(tokensToImage(tokens.values, 8, 6)).equal(tokens.values));
}

MEDCLICK_TEST_MAIN()
