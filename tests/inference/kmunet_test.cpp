// KM-UNet: EMA's gate on a constant input, the SSEM block, the network's shapes for KM-UNet and
// KM-UNet++, gradients to every parameter, and a safetensors round trip.

#include "support/torch_test.h"

#include "attention/ema_attention.h"
#include "kmunet/kmunet_network.h"
#include "kmunet/ssem_block.h"
#include "weights/safetensors.h"

#include <filesystem>

using namespace medclick;

namespace {

namespace F = torch::nn::functional;

KmUnetOptions tinyOptions(bool dense) { // small enough for gradient tests on a CPU in seconds
  KmUnetOptions o;
  o.variant = "tiny";
  o.embedDims = {16, 24, 32};
  o.dState = 4;
  o.classes = 3;
  o.denseSkips = dense;
  return o;
}

double maxAbs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

int64_t parameterCount(torch::nn::Module& m) {
  int64_t n = 0;
  for (const auto& p : m.parameters()) n += p.numel();
  return n;
}

} // namespace

// ---- EMA

MEDCLICK_TEST(ema_keeps_the_shape_and_refuses_groups_that_do_not_divide_the_channels) {
  EmaAttention ema(EmaOptions(12, 3));
  EXPECT(ema(torch::randn({2, 12, 7, 9})).sizes() == at::IntArrayRef({2, 12, 7, 9}));
  EXPECT(ema->gate(torch::randn({2, 12, 7, 9})).sizes() == at::IntArrayRef({6, 1, 7, 9}));
  EXPECT_THROWS_WITH(std::invalid_argument, EmaAttention(EmaOptions(12, 5)), "5 groups do not divide 12 channels");
}

MEDCLICK_TEST(ema_gives_a_constant_input_back_times_one_gate_per_group_inside_the_border) {
  // x_c constant per channel: both 1-D poolings give x_c, GroupNorm of a constant map is its bias β_c,
  // and the 3×3 branch is constant away from the zero-padded border, x2_c = b_c + Σ_c' x_c' ΣW[c,c'].
  // So inside the border every pixel of a group gets the same gate
  //   σ( Σ_c softmax(β)_c x2_c + Σ_c softmax(mean x2)_c β_c ),
  // while the border pixels, whose 3×3 window reaches the padding, get another.
  torch::manual_seed(21);
  const int64_t groups = 2, perGroup = 4, channels = groups * perGroup, height = 6, width = 7;
  EmaAttention ema(EmaOptions(channels, groups));
  {
    torch::NoGradGuard noGrad;
    ema->gn->bias.uniform_(-1.0, 1.0);
  }
  ema->eval();
  torch::NoGradGuard noGrad;
  const auto levels = torch::tensor({0.5f, -1.0f, 2.0f, 0.25f, 1.5f, -0.5f, 0.75f, -2.0f});
  const auto x = levels.view({1, channels, 1, 1}).expand({1, channels, height, width}).contiguous();
  const auto output = ema(x);
  const auto beta = ema->gn->bias;
  for (int64_t g = 0; g < groups; ++g) {
    const auto k = levels.narrow(0, g * perGroup, perGroup);
    const auto interiorX2 = ema->conv3x3->bias + ema->conv3x3->weight.sum({2, 3}).matmul(k);
    const auto fullX2 = F::conv2d(x.narrow(1, g * perGroup, perGroup), ema->conv3x3->weight,
                                  F::Conv2dFuncOptions().bias(ema->conv3x3->bias).padding(1));
    const auto meanX2 = fullX2.mean({0, 2, 3});
    const double weight = (torch::softmax(beta, 0) * interiorX2).sum().item<float>() +
                          (torch::softmax(meanX2, 0) * beta).sum().item<float>();
    const double gate = 1.0 / (1.0 + std::exp(-weight));
    const auto ratio = output.narrow(1, g * perGroup, perGroup) / x.narrow(1, g * perGroup, perGroup);
    const auto interior = ratio.narrow(2, 1, height - 2).narrow(3, 1, width - 2);
    EXPECT_NEAR(interior.min().item<float>(), gate, 1e-4);
    EXPECT_NEAR(interior.max().item<float>(), gate, 1e-4);
    EXPECT(std::abs(ratio[0][0][0][0].item<float>() - gate) > 1e-3); // a corner: not the same gate
  }
}

// ---- the SSEM block

MEDCLICK_TEST(ssem_block_keeps_the_shape_and_picks_ema_groups_that_divide) {
  EXPECT(emaGroupsFor(128, 8) == 8);
  EXPECT(emaGroupsFor(24, 16) == 12);
  EXPECT(emaGroupsFor(2, 8) == 1);
  SsemOptions o(6);
  o.dState = 4;
  SsemBlock block(o);
  EXPECT(block->ema->groups() == 3);
  const auto x = torch::randn({2, 6, 5, 8}).contiguous(torch::MemoryFormat::ChannelsLast);
  EXPECT(block(x).sizes() == at::IntArrayRef({2, 6, 5, 8}));
}

// ---- the network

MEDCLICK_TEST(kmunet_outputs_logits_per_class_for_square_and_non_square_inputs) {
  for (const bool dense : {false, true}) {
    KmUnetNetwork network(tinyOptions(dense));
    network->eval();
    torch::NoGradGuard noGrad;
    for (const auto& [h, w] : std::vector<std::pair<int64_t, int64_t>>{{64, 64}, {64, 96}})
      EXPECT(network(torch::randn({2, 3, h, w})).sizes() == at::IntArrayRef({2, 3, h, w}));
    EXPECT_THROWS_WITH(std::invalid_argument, network(torch::randn({1, 3, 48, 64})), "multiple of 32");
    EXPECT_THROWS_WITH(std::invalid_argument, network(torch::randn({1, 1, 64, 64})), "expects [B, 3, H, W]");
  }
}

MEDCLICK_TEST(kmunet_has_the_unet_path_and_kmunet_plus_plus_the_dense_grid) {
  KmUnetNetwork plain(tinyOptions(false)), dense(tinyOptions(true));
  EXPECT(plain->decoderNodes().size() == 4u);  // X_{3,1} X_{2,2} X_{1,3} X_{0,4}
  EXPECT(dense->decoderNodes().size() == 10u); // every X_{i,j}, j ≥ 1, i + j ≤ 4
  for (const auto& [ij, node] : plain->decoderNodes()) EXPECT(ij.first + ij.second == 4);
  // SS2D + EMA after the encoder's conv stages and after every decoder addition at levels 0–2.
  int ssemNodes = 0;
  for (const auto& [ij, node] : dense->decoderNodes()) ssemNodes += node.ssem ? 1 : 0;
  EXPECT(ssemNodes == 9);
  EXPECT(parameterCount(*dense) > parameterCount(*plain));
}

MEDCLICK_TEST(every_parameter_receives_a_gradient_in_kmunet_and_kmunet_plus_plus) {
  for (const bool dense : {false, true}) {
    torch::manual_seed(22);
    KmUnetNetwork network(tinyOptions(dense));
    network->train();
    const auto image = torch::rand({2, 3, 64, 64}) * 3.0 - 0.5;
    network(image).select(1, 1).mean().backward();
    int withoutGradient = 0;
    for (const auto& item : network->named_parameters())
      if (!item.value().grad().defined() || item.value().grad().abs().sum().item<float>() == 0.0f) {
        std::cout << "  no gradient: " << item.key() << "\n";
        ++withoutGradient;
      }
    EXPECT(withoutGradient == 0);
  }
}

MEDCLICK_TEST(weights_survive_a_safetensors_round_trip) {
  const auto path = (std::filesystem::temp_directory_path() / "medclick_kmunet_tiny.safetensors").string();
  torch::manual_seed(23);
  KmUnetNetwork saved(tinyOptions(true));
  saveModuleWeights(*saved, path, {{"model", "kmunet"}});
  torch::manual_seed(24);
  KmUnetNetwork loaded(tinyOptions(true));
  saved->eval();
  loaded->eval();
  torch::NoGradGuard noGrad;
  const auto image = torch::randn({1, 3, 64, 64});
  EXPECT(maxAbs(saved(image) - loaded(image)) > 1e-3); // different weights before loading
  EXPECT(loadModuleWeights(*loaded, path).at("model") == "kmunet");
  EXPECT_NEAR(maxAbs(saved(image) - loaded(image)), 0.0, 0.0);
  std::filesystem::remove(path);
}

MEDCLICK_TEST(variants_have_the_documented_sizes) {
  KmUnetNetwork paper(KmUnetOptions::paper());
  const auto paperParameters = parameterCount(*paper);
  // The paper's 7.35 M: U-KAN's trained widths (6.4 M in the public code) plus SS2D and EMA.
  EXPECT(paperParameters > 6'800'000 && paperParameters < 7'800'000);
  KmUnetNetwork small(KmUnetOptions::small());
  EXPECT(parameterCount(*small) < paperParameters / 2);
  EXPECT(KmUnetOptions::named("small++").denseSkips && !KmUnetOptions::named("small").denseSkips);
  EXPECT(KmUnetOptions::named("paper++").embedDims == KmUnetOptions::paper().embedDims);
  EXPECT_THROWS_WITH(std::invalid_argument, KmUnetOptions::named("huge"), "unknown KM-UNet variant");
  EXPECT_THROWS_WITH(std::invalid_argument, KmUnetOptions::named("++"), "unknown KM-UNet variant");
}

MEDCLICK_TEST_MAIN()
