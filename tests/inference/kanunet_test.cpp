// KANU-Net: FastKAN's radial bases at their centres and at ±σ, the FastKANConvLayer formula, the
// network's shapes for even and odd sizes, gradients to every parameter, a safetensors round trip;
// the paper's pre-processing: the brain-centred crop and the per-modality min–max with gamma.

#include "support/torch_test.h"

#include "kanunet/fastkan_conv.h"
#include "kanunet/kanunet_network.h"
#include "kanunet/kanunet_preprocessing.h"
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

MEDCLICK_TEST(the_crop_is_centred_on_the_brain_and_padded_with_each_channels_background) {
  // A 240×240 slice, background −3 (z-scored MRI outside the brain), a "brain" in rows 20..179 and
  // columns 60..219: the 224 crop is centred on that box (row 100, column 140).
  auto image = torch::full({2, 240, 240}, -3.0f);
  image.narrow(1, 20, 160).narrow(2, 60, 160).fill_(1.0f);
  image[1] = image[1] * 2.0f; // the second modality's background is −6
  const CropBox box = brainCentredCrop(image, 224);
  EXPECT(box.side == 224);
  EXPECT(box.top == 100 - 112 && box.left == 140 - 112);
  const auto crop = cropWithPadding(image, box);
  EXPECT(crop.sizes() == torch::IntArrayRef({2, 224, 224}));
  // Row 0 of the crop is image row −12: padding with each channel's background.
  EXPECT_NEAR(crop[0][0][100].item<double>(), -3.0, 0);
  EXPECT_NEAR(crop[1][0][100].item<double>(), -6.0, 0);
  // Crop pixel (r, c) is image pixel (r − 12, c + 28); the brain starts at crop (32, 32).
  EXPECT_NEAR(crop[0][32][32].item<double>(), 1.0, 0);   // image (20, 60)
  EXPECT_NEAR(crop[0][31][32].item<double>(), -3.0, 0);  // image (19, 60): above the brain
  EXPECT_NEAR(crop[0][32][31].item<double>(), -3.0, 0);  // image (20, 59)
  EXPECT_NEAR(crop.slice(1, 32, 192).slice(2, 32, 192).min().item<double>(), 1.0, 0); // all 160×160 of it inside
}

MEDCLICK_TEST(a_brain_wider_than_the_crop_widens_it_and_an_empty_image_is_cropped_about_its_centre) {
  auto image = torch::zeros({1, 300, 260});
  image.narrow(1, 10, 250).narrow(2, 5, 240).fill_(5.0f);
  const CropBox wide = brainCentredCrop(image, 224);
  EXPECT(wide.side == 250);
  EXPECT(wide.top == 10 && wide.left == (5 + 245) / 2 - 125);
  const CropBox empty = brainCentredCrop(torch::zeros({1, 100, 80}), 64);
  EXPECT(empty.side == 100 && empty.top == 0 && empty.left == 40 - 50);
}

MEDCLICK_TEST(network_input_is_min_max_to_minus_one_one_with_the_gamma_of_each_modality) {
  // u = (x − min)/(max − min), u^γ, 2u − 1: the minimum maps to −1, the maximum to 1, and the middle
  // value to 2·0.5^γ − 1 (0 for γ 1, 2·0.5^1.5 − 1 = −0.2929 for γ 1.5).
  const auto images = torch::tensor({-2.0f, 0.0f, 2.0f, 2.0f, 10.0f, 20.0f, 30.0f, 30.0f}).view({1, 2, 2, 2});
  const auto input = kanunetNetworkInput(images, torch::tensor({1.0f, 1.5f}));
  EXPECT_NEAR(input[0][0][0][0].item<double>(), -1.0, 1e-6);
  EXPECT_NEAR(input[0][0][0][1].item<double>(), 0.0, 1e-6);
  EXPECT_NEAR(input[0][0][1][0].item<double>(), 1.0, 1e-6);
  EXPECT_NEAR(input[0][1][0][0].item<double>(), -1.0, 1e-6);
  EXPECT_NEAR(input[0][1][0][1].item<double>(), 2.0 * std::pow(0.5, 1.5) - 1.0, 1e-6);
  EXPECT_NEAR(input[0][1][1][1].item<double>(), 1.0, 1e-6);
}

MEDCLICK_TEST_MAIN()
