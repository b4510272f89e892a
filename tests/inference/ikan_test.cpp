// IKAN: the modulation of eq. (3)–(5), click disks, HICAM's eq. (2), AFF's eq. (6), the whole
// network's shapes and gradients, and the engine on real sizes.

#include "support/mirror_symmetry.h"
#include "support/torch_test.h"

#include "inference/bench/flop_counter.h"
#include "inference/ikan/click_maps.h"
#include "inference/ikan/ikan_engine.h"
#include "inference/ikan/ikan_network.h"
#include "weights/safetensors.h"
#include "support/engine_calls.h"

#include <cmath>
#include <filesystem>

using namespace medclick;

namespace {

float valueAt(const torch::Tensor& map, int64_t row, int64_t col) { return map.index({row, col}).item<float>(); }

IkanOptions tinyOptions() { // small enough for a gradient test on a CPU in seconds
  IkanOptions o;
  o.variant = "tiny";
  o.embedDims = {16, 24, 32};
  o.hicamBranchChannels = 2;
  o.sideWidths = {4, 4, 8, 8};
  o.inputSize = 64;
  return o;
}

} // namespace

// ---- eq. (3): adaptive radius

MEDCLICK_TEST(radius_is_r_max_without_opposite_clicks) {
  const Click u{50, 50, true};
  EXPECT_NEAR(modulationRadius(u, {}, 6, 25), 25.0, 0);
  EXPECT_NEAR(modulationRadius(u, {{52, 50, true}}, 6, 25), 25.0, 0); // same label does not count
}

MEDCLICK_TEST(radius_is_half_the_distance_to_the_nearest_opposite_click_within_bounds) {
  const Click u{50, 50, true};
  EXPECT_NEAR(modulationRadius(u, {{50, 70, false}}, 6, 25), 10.0, 1e-12);               // ½·20
  EXPECT_NEAR(modulationRadius(u, {{50, 70, false}, {62, 66, false}}, 6, 25), 10.0, 1e-12); // nearest is 20 away
  EXPECT_NEAR(modulationRadius(u, {{50, 70, false}, {56, 58, false}}, 6, 25), 6.0, 1e-12);  // ½·10 -> R_min
  EXPECT_NEAR(modulationRadius(u, {{50, 150, false}}, 6, 25), 25.0, 1e-12);               // ½·100 -> R_max
  EXPECT_NEAR(modulationRadius(u, {{50, 64, false}, {80, 50, false}}, 6, 25), 7.0, 1e-12);  // ½·14
}

// ---- eq. (4): linear mask

MEDCLICK_TEST(linear_mask_is_alpha_at_the_centre_and_falls_to_zero_at_r) {
  const auto m = linearModulationMask(64, 64, {20, 30, true}, 10.0, 0.8);
  EXPECT_NEAR(valueAt(m, 30, 20), 0.8, 1e-6);
  EXPECT_NEAR(valueAt(m, 30, 25), 0.4, 1e-6);   // ‖x−u‖ = R/2
  EXPECT_NEAR(valueAt(m, 36, 28), 0.0, 1e-6);   // ‖x−u‖ = 10 = R
  EXPECT_NEAR(valueAt(m, 30, 31), 0.0, 0);      // outside
}

// ---- eq. (5): probability update

MEDCLICK_TEST(positive_click_lifts_with_inverse_gamma_plus_mask) {
  ModulationOptions o; // α = 1, γ = 2, R in [6, 25] at 256
  const auto p = torch::full({256, 256}, 0.04f);
  const auto out = modulateProbability(p, {100, 100, true}, {}, o); // R = 25
  EXPECT_NEAR(valueAt(out, 100, 100), 1.0, 0);                           // the click centre
  EXPECT_NEAR(valueAt(out, 100, 110), std::sqrt(0.04) + (1 - 10.0 / 25), 1e-6); // 0.2 + 0.6
  EXPECT_NEAR(valueAt(out, 100, 124), std::sqrt(0.04) + (1 - 24.0 / 25), 1e-6); // inside, near the edge
  EXPECT_NEAR(valueAt(out, 100, 126), 0.04, 1e-7);                       // outside R: unchanged
}

MEDCLICK_TEST(negative_click_lowers_with_gamma_minus_mask) {
  ModulationOptions o;
  const auto p = torch::full({256, 256}, 0.9f);
  const auto out = modulateProbability(p, {60, 80, false}, {{60, 100, true}}, o); // R = ½·20 = 10
  EXPECT_NEAR(valueAt(out, 80, 60), 0.0, 0);
  EXPECT_NEAR(valueAt(out, 80, 65), 0.81 - 0.5, 1e-6);
  EXPECT_NEAR(valueAt(out, 80, 70), 0.81 - 0.0, 1e-6); // on the circle: M = 0 but P^γ applies (‖x−u‖ ≤ R)
  EXPECT_NEAR(valueAt(out, 80, 71), 0.9, 1e-7);
}

MEDCLICK_TEST(modulation_radius_scales_with_the_map_size) {
  ModulationOptions o;
  const auto out = modulateProbability(torch::zeros({512, 512}), {200, 200, true}, {}, o); // R_max = 50
  EXPECT(valueAt(out, 200, 249) > 0.0f);
  EXPECT_NEAR(valueAt(out, 200, 251), 0.0, 0);
}

MEDCLICK_TEST(new_clicks_are_modulated_in_order_each_seeing_the_earlier_ones) {
  ModulationOptions o;
  const ClickList clicks{{100, 100, true}, {100, 120, false}};
  const auto p = torch::full({256, 256}, 0.5f);
  const auto expected = modulateProbability(modulateProbability(p, clicks[0], {}, o), clicks[1], {clicks[0]}, o);
  EXPECT(modulateForNewClicks(p, clicks, 0, o).equal(expected));
  EXPECT(modulateForNewClicks(p, clicks, 2, o).equal(p)); // nothing new: untouched
}

// ---- X_coord

MEDCLICK_TEST(click_disks_have_radius_five_per_label) {
  const auto maps = clickDiskMaps({{10, 20, true}, {40, 40, false}}, 64, 64, 5.0);
  EXPECT(maps.sizes() == at::IntArrayRef({2, 64, 64}));
  EXPECT_NEAR(valueAt(maps[0], 20, 15), 1.0, 0); // distance 5
  EXPECT_NEAR(valueAt(maps[0], 24, 14), 0.0, 0); // distance 5.66
  EXPECT_NEAR(valueAt(maps[0], 40, 40), 0.0, 0);
  EXPECT_NEAR(valueAt(maps[1], 40, 40), 1.0, 0);
  EXPECT_NEAR(maps[0].sum().item<float>(), 81.0, 0); // lattice points within radius 5
}

// ---- eq. (2): HICAM

MEDCLICK_TEST(hicam_is_cam_final_of_inception_of_cam_init) {
  Hicam hicam(HicamOptions{6, 3, 2});
  hicam->eval();
  {
    torch::NoGradGuard noGrad;
    // CAM weights fixed by their biases: σ(0) = 0.5 at the input, σ(ln 3) = 0.75 at the output.
    hicam->cam_init->fc2->weight.zero_();
    hicam->cam_init->fc2->bias.zero_();
    hicam->cam_final->fc2->weight.zero_();
    hicam->cam_final->fc2->bias.fill_(std::log(3.0));
  }
  torch::NoGradGuard noGrad;
  const auto x = torch::randn({1, 6, 32, 32});
  const auto z = hicam(x);
  EXPECT(z.sizes() == at::IntArrayRef({1, 12, 32, 32}));
  const auto expected = 0.75 * hicam->inception(0.5 * x);
  EXPECT_NEAR((z - expected).abs().max().item<float>(), 0.0, 1e-5);
}

// ---- eq. (6): AFF

MEDCLICK_TEST(aff_is_a_convex_combination_with_alpha_in_zero_one) {
  torch::manual_seed(2);
  AffFusion fusion;
  const auto backbone = torch::randn({2, 8, 4, 4}), side = torch::randn({2, 8, 4, 4});
  const auto alpha = fusion->attention(backbone, side);
  EXPECT(alpha.sizes() == at::IntArrayRef({2, 1, 4, 4}));
  EXPECT(alpha.min().item<float>() > 0.0f && alpha.max().item<float>() < 1.0f);
  EXPECT_NEAR((fusion(backbone, side) - (alpha * backbone + (1 - alpha) * side)).abs().max().item<float>(), 0.0, 1e-6);
  torch::NoGradGuard noGrad;
  fusion->spatial->weight.zero_();
  fusion->spatial->bias.zero_(); // α = σ(0) = ½: the mean of the two
  EXPECT_NEAR((fusion(backbone, side) - 0.5 * (backbone + side)).abs().max().item<float>(), 0.0, 1e-6);
}

// ---- the network

MEDCLICK_TEST(network_output_is_two_class_logits_for_square_and_non_square_inputs) {
  IkanNetwork network(tinyOptions());
  network->eval();
  torch::NoGradGuard noGrad;
  for (const auto& [h, w] : std::vector<std::pair<int64_t, int64_t>>{{64, 64}, {64, 96}}) {
    const auto input = network->prepareInput(torch::randn({1, 3, h, w}), torch::zeros({1, 1, h, w}), {{{10, 12, true}}}, {0});
    const auto logits = network->forward(input);
    EXPECT(logits.sizes() == at::IntArrayRef({1, 2, h, w}));
    const auto p = IkanNetworkImpl::foregroundProbability(logits);
    EXPECT(p.min().item<float>() >= 0.0f && p.max().item<float>() <= 1.0f);
  }
  const auto odd = network->prepareInput(torch::randn({1, 3, 48, 64}), torch::zeros({1, 1, 48, 64}), {{}}, {0});
  EXPECT_THROWS_WITH(std::invalid_argument, network->forward(odd), "multiple of 32");
}

MEDCLICK_TEST(every_parameter_receives_a_gradient) {
  torch::manual_seed(4);
  IkanNetwork network(tinyOptions());
  network->train();
  // Inputs with non-zero channel means, so that no squeeze-excitation ReLU starts out dead.
  const auto input = network->prepareInput(torch::rand({2, 3, 64, 64}) * 3.0 - 0.5, torch::rand({2, 1, 64, 64}),
                                           {{{10, 12, true}}, {{30, 40, true}, {5, 5, false}}}, {0, 1});
  network->forward(input).select(1, 1).mean().backward();
  int withoutGradient = 0;
  for (const auto& item : network->named_parameters())
    if (!item.value().grad().defined() || item.value().grad().abs().sum().item<float>() == 0.0f) { // unconnected or dead
      std::cout << "  no gradient: " << item.key() << "\n";
      ++withoutGradient;
    }
  EXPECT(withoutGradient == 0);
}

MEDCLICK_TEST(variants_have_the_documented_widths) {
  EXPECT(IkanOptions::paper().embedDims == (std::array<int64_t, 3>{128, 160, 256}));
  EXPECT(IkanOptions::small().embedDims[0] < IkanOptions::paper().embedDims[0]);
  EXPECT_THROWS_WITH(std::invalid_argument, IkanOptions::named("huge"), "unknown IKAN variant");
}

// ---- FLOP counting for the benchmark

MEDCLICK_TEST(flop_counter_counts_convolutions_and_matrix_products) {
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(3, 8, 3).padding(1));
  torch::nn::Linear linear(10, 4);
  torch::NoGradGuard noGrad;
  FlopCounter counter;
  conv(torch::randn({1, 3, 16, 16}));
  EXPECT_NEAR(counter.flops(), 2.0 * 8 * 3 * 9 * 16 * 16, 0);
  linear(torch::randn({5, 10}));
  EXPECT_NEAR(counter.flops(), 2.0 * 8 * 3 * 9 * 16 * 16 + 2.0 * 5 * 10 * 4, 0);
}

// ---- the engine

MEDCLICK_TEST(engine_returns_a_probability_per_pixel_of_a_non_square_image) {
  IkanEngineOptions options;
  options.randomWeightsForTesting = true;
  options.device = "cpu";
  const auto engine = createIkanEngine(options);
  std::vector<float> pixels(70 * 50);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<float>(i % 70);
  test::setPlane(*engine, pixels.data(), 70, 50, 1);
  std::vector<float> first(70 * 50, 0.0f);
  const VoxelBox written = engine->refine({{30, 20, 0, true}}, 0, first.data());
  EXPECT(written == VoxelBox::whole({70, 50, 1})); // round one sees the whole image
  EXPECT(*std::min_element(first.begin(), first.end()) >= 0.0f && *std::max_element(first.begin(), first.end()) <= 1.0f);
  const auto second = test::refinePlane(*engine, {{30, 20, true}, {60, 40, false}}, 1, first.data(), first.size());
  EXPECT(second.size() == first.size());
  EXPECT_THROWS_WITH(std::logic_error, engine->refine({}, 0, first.data()), "refines from clicks");
  EXPECT(engine->deviceName() == "cpu");
}

// ---- zoom-in (RITM's, ikan/zoom_in.h)

MEDCLICK_TEST(zoom_in_crops_the_enlarged_object_box_from_the_second_click) {
  const int width = 200, height = 100;
  std::vector<float> previous(static_cast<size_t>(width * height), 0.0f);
  for (int y = 40; y <= 49; ++y)
    for (int x = 20; x <= 29; ++x) previous[static_cast<size_t>(y * width + x)] = 0.9f; // a 10×10 object
  ZoomInOptions ritm; // RITM's values: from the 2nd click, ×1.4, crops of at least 0.4 of the shorter side
  ritm.skipClicks = 1;
  ritm.expansionRatio = 1.4;
  ritm.minCropFraction = 0.4;
  ZoomIn zoom(ritm);
  EXPECT(!zoom.roiFor({{25, 45, true}}, previous.data(), width, height)); // the first click sees the whole image
  EXPECT(!zoom.roiFor({{25, 45, true}, {60, 60, false}}, nullptr, width, height)); // nothing predicted yet
  // Box 20..29 × 40..49, ×1.4 = 14 px, below the minimum crop 0.4 × 100 = 40 px: 40 × 40 about the
  // centre (24.5, 44.5), rounded half away from zero: columns 5..45, rows 25..65.
  const auto roi = zoom.roiFor({{25, 45, true}, {60, 60, false}}, previous.data(), width, height);
  EXPECT(roi.has_value());
  EXPECT(*roi == (PixelBox{5, 25, 45, 65}));
  // A positive click just outside the kept crop forces a new one that holds it.
  const auto moved = zoom.roiFor({{25, 45, true}, {60, 60, false}, {50, 45, true}}, previous.data(), width, height);
  EXPECT(moved.has_value() && moved->x1 >= 50 && !(*moved == *roi));
  EXPECT_NEAR(boxIou(PixelBox{0, 0, 9, 9}, PixelBox{5, 0, 14, 9}), 50.0 / 150.0, 1e-12);
  EXPECT(!ZoomIn().roiFor({{25, 45, true}, {60, 60, false}}, previous.data(), width, height)); // the default waits for the 5th click
  ZoomInOptions off = ritm;
  off.enabled = false;
  EXPECT(!ZoomIn(off).roiFor({{25, 45, true}, {60, 60, false}}, previous.data(), width, height));
}

MEDCLICK_TEST(zoom_in_around_the_first_clicks_crops_before_anything_is_predicted) {
  const int width = 200, height = 100;
  const std::vector<float> empty(static_cast<size_t>(width * height), 0.0f);
  ZoomInOptions first;
  first.skipClicks = 0;
  first.minCropFraction = 0.2; // 20 px
  // Without the option an empty previous mask leaves the whole image, as RITM.
  EXPECT(!ZoomIn(first).roiFor({{25, 45, true}}, empty.data(), width, height));
  first.cropAroundFirstClicks = true;
  ZoomIn zoom(first);
  // One positive click at (25, 45): a 1-px box, ×2 = 2 px, below 20 px: 20 × 20 about the click,
  // columns round(15)..round(35), rows 35..55.
  const auto roi = zoom.roiFor({{25, 45, true}}, empty.data(), width, height);
  EXPECT(roi.has_value() && *roi == (PixelBox{15, 35, 35, 55}));
  EXPECT(ZoomIn(first).roiFor({{25, 45, true}}, nullptr, width, height) == roi); // no buffer is an empty mask
  // Only negative clicks: nothing to zoom on.
  EXPECT(!ZoomIn(first).roiFor({{25, 45, false}}, empty.data(), width, height));
  // Near the border the crop is clamped to the image.
  const auto corner = ZoomIn(first).roiFor({{2, 97, true}}, empty.data(), width, height);
  EXPECT(corner.has_value() && *corner == (PixelBox{0, 87, 12, 99}));
  // Once a mask exists it is the mask's box again: a 30 × 10 object at 100..129 × 60..69 → 60 × 20.
  std::vector<float> previous = empty;
  for (int y = 60; y <= 69; ++y)
    for (int x = 100; x <= 129; ++x) previous[static_cast<size_t>(y * width + x)] = 0.8f;
  const auto grown = ZoomIn(first).roiFor({{110, 65, true}}, previous.data(), width, height);
  EXPECT(grown.has_value() && grown->width() == 61 && grown->height() == 21);
}

MEDCLICK_TEST(engine_with_zoom_in_predicts_nothing_outside_the_crop) {
  IkanEngineOptions options;
  options.randomWeightsForTesting = true;
  options.device = "cpu";
  options.zoomIn.skipClicks = 1;
  options.zoomIn.expansionRatio = 1.4;
  options.zoomIn.minCropFraction = 0.4;
  const auto engine = createIkanEngine(options);
  const int width = 160, height = 120;
  std::vector<float> pixels(static_cast<size_t>(width * height));
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<float>((i * 7) % 255);
  test::setPlane(*engine, pixels.data(), width, height, 1);
  std::vector<float> previous(pixels.size(), 0.0f);
  for (int y = 50; y < 60; ++y)
    for (int x = 70; x < 80; ++x) previous[static_cast<size_t>(y * width + x)] = 1.0f;
  std::vector<float> zoomed = previous;
  const VoxelBox written = engine->refine({{75, 55, 0, true}, {20, 20, 0, false}}, 1, zoomed.data());
  // The box written is the crop: the previous mask lies inside it, so nothing outside changes.
  EXPECT((written.begin == std::array<std::size_t, 3>{51, 31, 0}) && (written.end == std::array<std::size_t, 3>{100, 80, 1}));
  // The crop: 48 × 48 (0.4 × 120) about (74.5, 54.5) → columns 51..99, rows 31..79.
  double outside = 0.0, inside = 0.0;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const bool in = x >= 51 && x <= 99 && y >= 31 && y <= 79;
      (in ? inside : outside) += zoomed[static_cast<size_t>(y * width + x)];
    }
  EXPECT(outside == 0.0 && inside > 0.0);
}

MEDCLICK_TEST(flip_averaging_makes_a_mirror_symmetric_case_symmetric) {
  // An image symmetric about its vertical axis and a click on that axis: with the mirror image's
  // logits averaged in, the probability is symmetric too; one pass of random weights is not.
  const int width = 64, height = 48;
  const auto pixels = test::mirrorSymmetricImage(width, height, 7);
  const auto asymmetry = [&](bool flip) {
    IkanEngineOptions options;
    options.randomWeightsForTesting = true;
    options.device = "cpu";
    options.flipAveraging = flip;
    torch::manual_seed(3);
    const auto engine = createIkanEngine(options);
    test::setPlane(*engine, pixels.data(), width, height, 1);
    return test::largestMirrorAsymmetry(test::refinePlane(*engine, {{(width - 1) / 2.0, 20, true}}, 0, nullptr, pixels.size()), width,
                                        height);
  };
  EXPECT(asymmetry(true) < 1e-5);
  EXPECT(asymmetry(false) > 1e-4);
}

MEDCLICK_TEST(engine_refuses_to_run_without_weights_and_names_a_mismatching_tensor) {
  EXPECT_THROWS_WITH(std::invalid_argument, createIkanEngine(IkanEngineOptions{}), "needs a weights file");
  const auto path = (std::filesystem::temp_directory_path() / "medclick_ikan_tiny.safetensors").string();
  IkanNetwork tiny(tinyOptions());
  saveModuleWeights(*tiny, path, ikanWeightsMetadata("small", 256)); // claims "small", holds "tiny"
  IkanEngineOptions options;
  options.weightsPath = path;
  options.device = "cpu";
  EXPECT_THROWS_WITH(WeightsError, createIkanEngine(options), "weights do not match the model (mis-shaped");
  saveModuleWeights(*tiny, path, {{"model", "caiseg"}});
  EXPECT_THROWS_WITH(WeightsError, createIkanEngine(options), "not IKAN");
}

MEDCLICK_TEST(engine_loads_weights_whose_metadata_names_the_variant) {
  const auto path = (std::filesystem::temp_directory_path() / "medclick_ikan_small.safetensors").string();
  torch::manual_seed(9);
  IkanNetwork small(IkanOptions::small());
  saveModuleWeights(*small, path, ikanWeightsMetadata("small", 256));
  IkanEngineOptions options;
  options.weightsPath = path;
  options.device = "cpu";
  const auto engine = createIkanEngine(options);
  EXPECT(engine->name() == "IKAN (small)");
  std::vector<float> pixels(40 * 40, 1.0f);
  test::setPlane(*engine, pixels.data(), 40, 40, 1);
  EXPECT(test::refinePlane(*engine, {{20, 20, true}}, 0, nullptr, 1600).size() == 1600u);
}

MEDCLICK_TEST_MAIN()
