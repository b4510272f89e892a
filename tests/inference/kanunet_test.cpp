// KANU-Net: FastKAN's radial bases at their centres and at ±σ, the FastKANConvLayer formula, the
// network's shapes for even and odd sizes, gradients to every parameter, a safetensors round trip.

#include "support/torch_test.h"

#include "kanunet/fastkan_conv.h"
#include "kanunet/kanunet_network.h"
#include "weights/safetensors.h"

#include <cmath>
#include <filesystem>

using namespace medclick;

namespace {

namespace F = torch::nn::functional;

double maxAbs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

KanUnetOptions tinyOptions() {
  KanUnetOptions o;
  o.variant = "tiny";
  o.inChannels = 2;
  o.classes = 3;
  o.baseWidth = 4;
  return o;
}

int64_t parameterCount(torch::nn::Module& m) {
  int64_t n = 0;
  for (const auto& p : m.parameters()) n += p.numel();
  return n;
}

} // namespace

MEDCLICK_TEST(radial_bases_are_one_at_their_centre_and_one_over_e_at_plus_minus_sigma) {
  FastKanConvOptions o(2, 2); // the paper's grid: n = 4 on [−1, 1], centres −1, −⅓, ⅓, 1, σ = ⅔
  EXPECT_NEAR(o.sigma(), 2.0 / 3.0, 1e-15);
  FastKanConv conv(o);
  EXPECT(conv->grid.sizes() == at::IntArrayRef({4}));
  EXPECT_NEAR(conv->grid[1].item<float>(), -1.0 / 3.0, 1e-7);
  const double sigma = o.sigma();
  for (int i = 0; i < 4; ++i) {
    const double c = conv->grid[i].item<float>();
    const auto at = radialBasis(torch::tensor({c, c - sigma, c + sigma, c + 2 * sigma}, torch::kDouble).unsqueeze(-1),
                                conv->grid.to(torch::kDouble), sigma);
    EXPECT_NEAR(at[0][i].item<double>(), 1.0, 1e-7);
    EXPECT_NEAR(at[1][i].item<double>(), std::exp(-1.0), 1e-7);
    EXPECT_NEAR(at[2][i].item<double>(), std::exp(-1.0), 1e-7);
    EXPECT_NEAR(at[3][i].item<double>(), std::exp(-4.0), 1e-7);
  }
  // The grid spacing is σ: at a centre, its neighbours' bases are e^−1.
  const auto atSecond = radialBasis(conv->grid[1].view({1}), conv->grid, sigma);
  EXPECT_NEAR(atSecond[0].item<float>(), std::exp(-1.0), 1e-6);
  EXPECT_NEAR(atSecond[2].item<float>(), std::exp(-1.0), 1e-6);
  EXPECT_NEAR(atSecond[3].item<float>(), std::exp(-4.0), 1e-6);
}

MEDCLICK_TEST(fastkan_conv_is_spline_conv_of_the_normalized_bases_plus_base_conv_of_silu) {
  torch::manual_seed(31);
  FastKanConv conv(FastKanConvOptions(3, 5));
  {
    torch::NoGradGuard noGrad;
    conv->layernorm->weight.uniform_(0.5, 1.5);
    conv->layernorm->bias.uniform_(-0.3, 0.3);
  }
  torch::NoGradGuard noGrad;
  const auto x = torch::randn({2, 3, 6, 7});
  // LayerNorm over the 3 channels of each pixel, by its definition.
  const auto mean = x.mean(1, true);
  const auto variance = (x - mean).square().mean(1, true);
  const auto normalized = (x - mean) / torch::sqrt(variance + 1e-5) * conv->layernorm->weight.view({1, 3, 1, 1}) +
                          conv->layernorm->bias.view({1, 3, 1, 1});
  std::vector<torch::Tensor> bases; // grid-major: channel i·3 + c
  for (int i = 0; i < 4; ++i) bases.push_back(torch::exp(-((normalized - conv->grid[i]) / (2.0 / 3.0)).square()));
  const auto expected = F::conv2d(torch::cat(bases, 1), conv->spline_conv->weight, F::Conv2dFuncOptions().bias(conv->spline_conv->bias).padding(1)) +
                        F::conv2d(torch::silu(x), conv->base_conv->weight, F::Conv2dFuncOptions().bias(conv->base_conv->bias).padding(1));
  const auto y = conv(x);
  EXPECT(y.sizes() == at::IntArrayRef({2, 5, 6, 7}));
  EXPECT_NEAR(maxAbs(y - expected), 0.0, 1e-4);
  EXPECT(conv->spline_conv->weight.sizes() == at::IntArrayRef({5, 12, 3, 3}));
}

MEDCLICK_TEST(a_single_input_channel_goes_to_the_bases_without_layernorm) {
  FastKanConv conv(FastKanConvOptions(1, 2));
  EXPECT(conv->layernorm.is_empty());
  torch::NoGradGuard noGrad;
  const auto x = torch::linspace(-1.0, 1.0, 16).view({1, 1, 4, 4});
  const auto bases = conv->expandedBases(x);
  EXPECT(bases.sizes() == at::IntArrayRef({1, 4, 4, 4}));
  EXPECT_NEAR(bases[0][0][0][0].item<float>(), 1.0, 1e-6); // x = −1, the first centre
  EXPECT_NEAR(bases[0][3][3][3].item<float>(), 1.0, 1e-6); // x = 1, the last centre
}

MEDCLICK_TEST(kanunet_outputs_one_logit_per_class_for_even_and_odd_sizes) {
  KanUnetNetwork network(tinyOptions());
  network->eval();
  torch::NoGradGuard noGrad;
  for (const auto& [h, w] : std::vector<std::pair<int64_t, int64_t>>{{32, 48}, {45, 37}})
    EXPECT(network(torch::randn({2, 2, h, w})).sizes() == at::IntArrayRef({2, 3, h, w}));
  EXPECT_THROWS_WITH(std::invalid_argument, network(torch::randn({1, 4, 32, 32})), "expects [B, 2, H, W]");
}

MEDCLICK_TEST(every_parameter_receives_a_gradient) {
  torch::manual_seed(32);
  KanUnetNetwork network(tinyOptions());
  network->train();
  network(torch::rand({2, 2, 32, 32}) * 2.0 - 1.0).mean().backward();
  int withoutGradient = 0;
  for (const auto& item : network->named_parameters())
    if (!item.value().grad().defined() || item.value().grad().abs().sum().item<float>() == 0.0f) {
      std::cout << "  no gradient: " << item.key() << "\n";
      ++withoutGradient;
    }
  EXPECT(withoutGradient == 0);
}

MEDCLICK_TEST(weights_survive_a_safetensors_round_trip) {
  const auto path = (std::filesystem::temp_directory_path() / "medclick_kanunet_tiny.safetensors").string();
  torch::manual_seed(33);
  KanUnetNetwork saved(tinyOptions());
  saveModuleWeights(*saved, path, {{"model", "kanunet"}});
  torch::manual_seed(34);
  KanUnetNetwork loaded(tinyOptions());
  saved->eval();
  loaded->eval();
  torch::NoGradGuard noGrad;
  const auto image = torch::randn({1, 2, 32, 32});
  EXPECT(maxAbs(saved(image) - loaded(image)) > 1e-3);
  EXPECT(loadModuleWeights(*loaded, path).at("model") == "kanunet");
  EXPECT_NEAR(maxAbs(saved(image) - loaded(image)), 0.0, 0.0);
  std::filesystem::remove(path);
}

MEDCLICK_TEST(variants_have_the_documented_widths) {
  KanUnetNetwork small(KanUnetOptions::small());
  EXPECT(small->inc->conv1->options().outChannels == 8);     // DoubleConv(4, 16): 4 → 8 → 16
  EXPECT(small->down[3]->conv2->options().outChannels == 128); // the bottom: 8w
  EXPECT(small->up[3]->conv1->options().inChannels == 32);     // 16 skip + 16 up-sampled
  EXPECT(parameterCount(*small) < 3'000'000);
  EXPECT_THROWS_WITH(std::invalid_argument, KanUnetOptions::named("huge"), "unknown KANU-Net variant");
}

MEDCLICK_TEST_MAIN()
