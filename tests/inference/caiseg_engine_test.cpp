// The CAISeg engine on whole volumes: patch size from the spacing, placement and clamping, clicks
// converted from (i, j, k) to the patch's (z, y, x), encoder features reused while clicks stay in a
// patch, the full-size result with the previous probability kept outside the patch, weights metadata.

#include "support/torch_test.h"

#include "inference/caiseg/caiseg_engine.h"
#include "inference/caiseg/caiseg_network.h"
#include "weights/safetensors.h"
#include "support/engine_calls.h"

#include <cmath>
#include <filesystem>

#include <unistd.h>

using namespace medclick;
using Size3 = std::array<int64_t, 3>;

namespace {

// A smooth volume with a bright blob, i fastest: size (i, j, k).
std::vector<float> blobVolume(const std::array<std::size_t, 3>& size) {
  std::vector<float> voxels(size[0] * size[1] * size[2]);
  std::size_t n = 0;
  for (std::size_t k = 0; k < size[2]; ++k)
    for (std::size_t j = 0; j < size[1]; ++j)
      for (std::size_t i = 0; i < size[0]; ++i) {
        const double d2 = std::pow(i - size[0] / 3.0, 2) + std::pow(j - size[1] / 2.0, 2) + std::pow(3.0 * (k - size[2] / 2.0), 2);
        voxels[n++] = static_cast<float>(100.0 + 400.0 * std::exp(-d2 / 60.0) + 5.0 * std::sin(0.7 * i + 0.3 * j));
      }
  return voxels;
}

std::unique_ptr<CaisegEngine> randomEngine(std::array<int, 3> patch, bool anisotropic = false) {
  CaisegEngineOptions options;
  options.randomWeightsForTesting = true;
  options.device = "cpu";
  options.patch = patch;
  options.anisotropic = anisotropic;
  torch::manual_seed(0);
  return createCaisegEngine(options);
}

std::string scratchFile(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("caiseg_engine_test_" + std::to_string(getpid()) + "_" + name)).string();
}

} // namespace

MEDCLICK_TEST(patch_size_covers_a_similar_physical_extent) {
  // 1.5 mm isotropic brain MRI: the depth would be 128, capped at 64.
  EXPECT((caisegPatchSize({155, 240, 240}, {1.5, 1.5, 1.5}, false) == Size3{64, 128, 128}));
  // Pancreas CT 2.5 / 0.8 mm: 128·0.8/2.5 = 41 slices → 48 (the paper's 48×128×128).
  EXPECT((caisegPatchSize({102, 520, 520}, {2.5, 0.8, 0.8}, true) == Size3{48, 128, 128}));
  // The lesion MRIs at 6.5 / 0.78 mm: 15.4 slices → 16 (104 mm deep, 100 mm wide).
  EXPECT((caisegPatchSize({25, 256, 256}, {6.5, 0.78125, 0.78125}, true) == Size3{16, 128, 128}));
  // Isotropic weights step the depth by 16.
  EXPECT((caisegPatchSize({102, 520, 520}, {2.5, 0.8, 0.8}, false) == Size3{48, 128, 128}));
  EXPECT((caisegPatchSize({89, 512, 512}, {5.0, 0.78, 0.78}, true) == Size3{24, 128, 128}));
  EXPECT((caisegPatchSize({89, 512, 512}, {5.0, 0.78, 0.78}, false) == Size3{32, 128, 128}));
}

MEDCLICK_TEST(patch_shrinks_to_a_small_volume_and_rounds_requests_up) {
  // breast1: 45 × 120 × 21 voxels at 0.66 / 2.1 mm.
  EXPECT((caisegPatchSize({21, 120, 45}, {2.1, 0.664, 0.664}, true) == Size3{24, 128, 48}));
  EXPECT((caisegPatchSize({21, 120, 45}, {2.1, 0.664, 0.664}, false) == Size3{32, 128, 48}));
  EXPECT((caisegPatchSize({200, 200, 200}, {1, 1, 1}, false, {30, 50, 70}) == Size3{32, 64, 80}));
  EXPECT((caisegPatchSize({200, 200, 200}, {1, 1, 1}, true, {30, 50, 70}) == Size3{32, 64, 80}));
  EXPECT((caisegPatchSize({200, 200, 200}, {1, 1, 1}, true, {20, 0, 0}) == Size3{24, 128, 128}));
}

MEDCLICK_TEST(patch_is_clamped_inside_the_volume) {
  const Size3 volume{100, 200, 200}, size{64, 128, 128};
  EXPECT((placeCaisegPatch({{0, 0, 0}}, size, volume).start == Size3{0, 0, 0}));
  EXPECT((placeCaisegPatch({{99, 199, 199}}, size, volume).start == Size3{36, 72, 72}));
  EXPECT((placeCaisegPatch({{50, 100, 100}}, size, volume).start == Size3{18, 36, 36}));
  const auto centred = placeCaisegPatch({{50, 100, 100}}, size, volume);
  EXPECT(centred.contains(50, 100, 100) && centred.size == size);
  // A volume smaller than the patch: the patch starts at 0 and the rest is padding.
  EXPECT((placeCaisegPatch({{20, 100, 44}}, {24, 128, 48}, {21, 120, 45}).start == Size3{0, 0, 0}));
  // Without clicks: the centre.
  EXPECT((placeCaisegPatch({}, size, volume).start == Size3{18, 36, 36}));
}

MEDCLICK_TEST(patch_holds_the_newest_click_and_earlier_ones_that_fit) {
  const Size3 volume{100, 200, 200}, size{64, 128, 128};
  // The earlier click is too far away: the newest decides.
  const auto far = placeCaisegPatch({{10, 10, 10}, {90, 190, 190}}, size, volume);
  EXPECT(far.contains(90, 190, 190) && !far.contains(10, 10, 10));
  // Near enough: both, centred on their box.
  const auto near = placeCaisegPatch({{60, 120, 120}, {80, 150, 150}}, size, {200, 300, 300});
  EXPECT(near.contains(60, 120, 120) && near.contains(80, 150, 150));
  EXPECT((near.start == Size3{70 - 32, 135 - 64, 135 - 64}));
  // Newest first: of two earlier clicks on opposite sides only the more recent one joins.
  const auto recent = placeCaisegPatch({{50, 20, 100}, {50, 180, 100}, {50, 100, 100}}, size, volume);
  EXPECT(recent.contains(50, 180, 100) && recent.contains(50, 100, 100) && !recent.contains(50, 20, 100));
}

MEDCLICK_TEST(normalisation_clips_percentiles_and_z_scores) {
  std::vector<float> voxels(10000);
  for (std::size_t i = 0; i < voxels.size(); ++i) voxels[i] = static_cast<float>(i % 100);
  voxels[5] = 1e9f; // one outlier must not squash the rest
  normalizeForCaiseg(voxels);
  double sum = 0, squares = 0;
  for (float v : voxels) sum += v, squares += double(v) * v;
  const double mean = sum / voxels.size();
  EXPECT_NEAR(mean, 0.0, 1e-4);
  EXPECT_NEAR(std::sqrt(squares / voxels.size() - mean * mean), 1.0, 1e-3);
  EXPECT(voxels[5] < 2.0f);
  EXPECT(voxels[1] < voxels[2]);
}

MEDCLICK_TEST(click_lands_in_the_patch_at_its_z_y_x) {
  const std::array<std::size_t, 3> size{80, 64, 32}; // i, j, k
  const auto voxels = blobVolume(size);
  auto engine = randomEngine({16, 32, 32});
  test::setVolume(*engine, voxels.data(), size, {0.8, 0.9, 2.0});
  const VolumeClick click{30.0, 40.0, 20.0, true}; // i, j, k
  const auto probability = test::refineVolume(*engine, {click}, nullptr, voxels.size());
  const auto patch = engine->lastPatch();
  EXPECT(patch.contains(20, 40, 30));

  // The same network by hand: the patch cropped from the normalised volume, the click at
  // (k, j, i) − start, the spacing in (z, y, x).
  torch::manual_seed(0);
  CaisegNetwork network(CaisegOptions::named("slim"));
  network->eval();
  torch::InferenceMode inference;
  auto normalized = voxels;
  normalizeForCaiseg(normalized);
  using torch::indexing::Slice;
  const auto& s = patch.start;
  const auto volume = torch::from_blob(normalized.data(), {32, 64, 80}, torch::kFloat32)
                          .index({Slice(s[0], s[0] + 16), Slice(s[1], s[1] + 32), Slice(s[2], s[2] + 32)})
                          .contiguous().view({1, 1, 16, 32, 32});
  const auto features = network->encode(volume);
  const auto run = [&](VoxelPoint point) {
    CaisegPrompt prompt;
    prompt.foreground = {point};
    prompt.spacing = {2.0, 0.9, 0.8};
    return CaisegNetworkImpl::foregroundProbability(network->refine(features, {prompt}, {}, false).logits)[0];
  };
  const auto expected = run({20.0 - s[0], 40.0 - s[1], 30.0 - s[2]});
  const auto swapped = run({20.0 - s[0], 30.0 - s[1], 40.0 - s[2]}); // rows and columns exchanged
  const auto got = torch::from_blob(const_cast<float*>(probability.data()), {32, 64, 80}, torch::kFloat32)
                       .index({Slice(s[0], s[0] + 16), Slice(s[1], s[1] + 32), Slice(s[2], s[2] + 32)});
  EXPECT((got - expected).abs().max().item<double>() < 1e-5);
  EXPECT((got - swapped).abs().max().item<double>() > 1e-6); // the click's position matters
}

MEDCLICK_TEST(features_are_reused_while_clicks_stay_in_the_patch) {
  const std::array<std::size_t, 3> size{80, 64, 32};
  const auto voxels = blobVolume(size);
  auto engine = randomEngine({16, 32, 32});
  test::setVolume(*engine, voxels.data(), size, {1.0, 1.0, 1.0});
  EXPECT((engine->patchSize() == Size3{16, 32, 32}));
  std::vector<float> previous(voxels.size(), 0.25f);
  VolumeClickList clicks{{10.0, 10.0, 5.0, true}};
  auto probability = test::refineVolume(*engine, clicks, previous.data(), voxels.size());
  EXPECT(probability.size() == voxels.size());
  EXPECT(engine->encodeCount() == 1);
  const auto first = engine->lastPatch();
  EXPECT((first.start == Size3{0, 0, 0}));

  clicks.push_back({14.0, 12.0, 6.0, false}); // the same patch (its faces at the volume's border)
  probability = test::refineVolume(*engine, clicks, probability.data(), voxels.size());
  EXPECT(engine->encodeCount() == 1);
  EXPECT(engine->lastPatch() == first);

  clicks.push_back({70.0, 50.0, 25.0, true}); // far away: a new patch, encoded once
  probability = test::refineVolume(*engine, clicks, probability.data(), voxels.size());
  EXPECT(engine->encodeCount() == 2);
  EXPECT(engine->lastPatch().contains(25, 50, 70));

  clicks.push_back({68.0, 52.0, 26.0, true});
  test::refineVolume(*engine, clicks, probability.data(), voxels.size());
  EXPECT(engine->encodeCount() == 2);

  // A new volume forgets the features.
  test::setVolume(*engine, voxels.data(), size, {1.0, 1.0, 1.0});
  test::refineVolume(*engine, {{68.0, 52.0, 26.0, true}}, nullptr, voxels.size());
  EXPECT(engine->encodeCount() == 3);
}

MEDCLICK_TEST(values_outside_the_patch_keep_the_previous_probability) {
  const std::array<std::size_t, 3> size{80, 64, 32};
  const auto voxels = blobVolume(size);
  auto engine = randomEngine({16, 32, 32});
  test::setVolume(*engine, voxels.data(), size, {1.0, 1.0, 1.0});
  std::vector<float> previous(voxels.size(), 0.25f);
  std::vector<float> probability = previous;
  const VoxelBox written = engine->refine({{40.0, 30.0, 16.0, true}}, 0, probability.data());
  const auto patch = engine->lastPatch();
  // The box written is the patch, in (i, j, k): the patch's (z, y, x) reversed.
  for (int a = 0; a < 3; ++a) {
    EXPECT(written.begin[2 - a] == std::size_t(patch.start[a]));
    EXPECT(written.extent(2 - a) == std::size_t(patch.size[a]));
  }
  std::size_t inside = 0, changed = 0, n = 0;
  for (int64_t k = 0; k < 32; ++k)
    for (int64_t j = 0; j < 64; ++j)
      for (int64_t i = 0; i < 80; ++i, ++n) {
        const float p = probability[n];
        EXPECT(p >= 0.0f && p <= 1.0f);
        if (patch.contains(double(k), double(j), double(i))) {
          ++inside;
          changed += p != 0.25f;
        } else {
          EXPECT(p == 0.25f);
        }
      }
  EXPECT(inside == 16u * 32u * 32u);
  EXPECT(changed > inside / 2);
  // Round one: zeros outside.
  const auto fresh = test::refineVolume(*engine, {{40.0, 30.0, 16.0, true}}, nullptr, voxels.size());
  EXPECT(fresh[0] == 0.0f && fresh.back() == 0.0f);
}

MEDCLICK_TEST(a_volume_smaller_than_the_patch_is_padded) {
  const std::array<std::size_t, 3> size{40, 20, 10}; // i, j, k
  const auto voxels = blobVolume(size);
  auto engine = randomEngine({16, 32, 32}, true);
  test::setVolume(*engine, voxels.data(), size, {0.7, 0.7, 3.0});
  EXPECT((engine->patchSize() == Size3{16, 32, 32}));
  const auto probability = test::refineVolume(*engine, {{39.0, 19.0, 9.0, true}}, nullptr, voxels.size());
  EXPECT(probability.size() == voxels.size());
  for (float p : probability) EXPECT(std::isfinite(p) && p >= 0.0f && p <= 1.0f);
  EXPECT((engine->lastPatch().start == Size3{0, 0, 8}));
  EXPECT_THROWS_WITH(std::invalid_argument, test::refineVolume(*engine, {{40.5, 0.0, 0.0, true}}, nullptr, voxels.size()), "outside the volume");
}

MEDCLICK_TEST(no_clicks_tiles_the_whole_volume) {
  const std::array<std::size_t, 3> size{80, 64, 32};
  const auto voxels = blobVolume(size);
  auto engine = randomEngine({16, 32, 32});
  test::setVolume(*engine, voxels.data(), size, {1.0, 1.0, 1.0});
  const auto probability = test::refineVolume(*engine, {}, nullptr, voxels.size());
  EXPECT(engine->encodeCount() == 2u * 2u * 3u); // x starts 0, 32, 48
  std::size_t zeros = 0;
  for (float p : probability) {
    EXPECT(std::isfinite(p) && p >= 0.0f && p <= 1.0f);
    zeros += p == 0.0f;
  }
  EXPECT(zeros < probability.size() / 10);
}

MEDCLICK_TEST(weights_metadata_names_the_variant_and_bad_files_are_refused) {
  torch::manual_seed(0);
  const auto anisotropic = CaisegOptions::named("slim", true);
  CaisegNetwork network(anisotropic);
  const auto good = scratchFile("slim_aniso.safetensors");
  saveModuleWeights(*network, good, caisegWeightsMetadata(anisotropic));
  CaisegEngineOptions options;
  options.weightsPath = good;
  options.device = "cpu";
  EXPECT(createCaisegEngine(options)->name() == "CAISeg (slim, anisotropic)");

  const auto ikan = scratchFile("ikan.safetensors");
  saveModuleWeights(*network, ikan, {{"model", "ikan"}, {"variant", "small"}});
  options.weightsPath = ikan;
  EXPECT_THROWS_WITH(WeightsError, createCaisegEngine(options), "not CAISeg");
  const auto bare = scratchFile("bare.safetensors");
  saveModuleWeights(*network, bare);
  options.weightsPath = bare;
  EXPECT_THROWS_WITH(WeightsError, createCaisegEngine(options), "has no 'model'");
  // Metadata that names the wrong anisotropy: the tensors still fit (only strides differ), so the
  // metadata decides; a wrong variant does not fit.
  const auto wrongVariant = scratchFile("wrong.safetensors");
  saveModuleWeights(*network, wrongVariant, {{"model", "caiseg"}, {"variant", "paper"}, {"anisotropic", "1"}});
  options.weightsPath = wrongVariant;
  EXPECT_THROWS_WITH(WeightsError, createCaisegEngine(options), "weights do not match the model");
  options.weightsPath.clear();
  EXPECT_THROWS_WITH(std::invalid_argument, createCaisegEngine(options), "needs a weights file");
  for (const auto& f : {good, ikan, bare, wrongVariant}) std::filesystem::remove(f);
}

MEDCLICK_TEST_MAIN()
