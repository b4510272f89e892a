// CAISeg: each equation on hand-made tensors (eq. 1–7, 9–10, 13), the backbone's strides for
// isotropic and anisotropic data, the whole network's shapes, gradients, feature reuse between
// clicks and a safetensors round trip.

#include "support/torch_test.h"

#include "inference/caiseg/caiseg_network.h"
#include "inference/caiseg/deep_supervision.h"
#include "inference/caiseg/feature_clustering.h"
#include "inference/caiseg/interaction_guided_module.h"
#include "inference/caiseg/multiscale_cross_attention.h"
#include "inference/caiseg/vnet_backbone.h"
#include "weights/safetensors.h"

#include <cmath>
#include <filesystem>

#include <unistd.h>

using namespace medclick;

namespace {

torch::Tensor floats(std::vector<float> values, std::vector<int64_t> shape) {
  return torch::tensor(values, torch::kFloat).view(shape);
}

torch::Tensor flags(std::vector<int> values) { return torch::tensor(values, torch::kInt).to(torch::kBool); }

double at2(const torch::Tensor& t, int64_t i, int64_t j) { return t.index({i, j}).item<double>(); }

double maxDifference(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

CaisegOptions tinyOptions(bool anisotropic = false, bool fullResolutionHead = false) { // seconds on a CPU
  CaisegOptions o = CaisegOptions::slim();
  o.variant = "tiny";
  o.fullResolutionHead = fullResolutionHead;
  o.backbone.baseWidth = 4;
  o.backbone.encoderConvs = {1, 1, 1, 1};
  o.backbone.decoderConvs = {1, 1, 1, 1};
  o.backbone.anisotropic = anisotropic;
  return o;
}

// A feature map of one sample on a 1×1×3 grid whose three voxels hold the given 2-vectors.
torch::Tensor lineOfThree(std::array<float, 2> v0, std::array<float, 2> v1, std::array<float, 2> v2) {
  return floats({v0[0], v1[0], v2[0], v0[1], v1[1], v2[1]}, {2, 1, 1, 3});
}

// The shared linear layer as the identity and no S_p column: Q = F.
void makeClusteringTransparent(FeatureClustering& clustering, double alpha) {
  torch::NoGradGuard noGrad;
  clustering->projection->weight.copy_(torch::eye(clustering->projection->weight.size(0)));
  clustering->mask_weight.zero_();
  clustering->alpha.fill_(alpha);
}

} // namespace

// ---- eq. (13): the distance correction

MEDCLICK_TEST(distance_correction_is_spacing_times_down_sampling_ratio) {
  const auto iso = distanceCorrection({1.5, 1.5, 1.5}, {2, 2, 2});
  EXPECT_NEAR(iso[0], 3.0, 0);
  EXPECT_NEAR(iso[1], 3.0, 0);
  EXPECT_NEAR(iso[2], 3.0, 0);
  const auto aniso = distanceCorrection({2.5, 0.8, 0.7}, {1, 2, 2}); // F keeps every slice
  EXPECT_NEAR(aniso[0], 2.5, 0);
  EXPECT_NEAR(aniso[1], 1.6, 1e-12);
  EXPECT_NEAR(aniso[2], 1.4, 1e-12);
}

MEDCLICK_TEST(spatial_distances_are_in_millimetres_on_the_feature_grid) {
  const auto centres = torch::tensor({0, 0, 0, 1, 1, 0}, torch::kLong).view({2, 3});
  const auto d = spatialDistances({2, 2, 2}, centres, {2.5, 1.6, 1.6}); // [8, 2], voxels in z, y, x order
  EXPECT(d.sizes() == at::IntArrayRef({8, 2}));
  EXPECT_NEAR(at2(d, 0, 0), 0.0, 0);
  EXPECT_NEAR(at2(d, 4, 0), 2.5, 1e-6);                                  // (1, 0, 0): one slice
  EXPECT_NEAR(at2(d, 3, 0), std::sqrt(2 * 1.6 * 1.6), 1e-6);             // (0, 1, 1)
  EXPECT_NEAR(at2(d, 7, 0), std::sqrt(2.5 * 2.5 + 2 * 1.6 * 1.6), 1e-6); // (1, 1, 1)
  EXPECT_NEAR(at2(d, 7, 1), 1.6, 1e-6);                                  // (1, 1, 1) to (1, 1, 0)
  EXPECT_NEAR(at2(d, 0, 1), std::sqrt(2.5 * 2.5 + 1.6 * 1.6), 1e-6);     // (0, 0, 0) to (1, 1, 0)
}

// ---- eq. (4)

MEDCLICK_TEST(min_max_normalisation_maps_each_leading_index_to_zero_one) {
  const auto x = floats({2, 4, 6, 10, /**/ 1, 1, 1, 1, /**/ -3, 0, 3, 0}, {3, 2, 2});
  const auto n = minMaxNormalize(x);
  EXPECT_NEAR(maxDifference(n[0], floats({0, 0.25, 0.5, 1}, {2, 2})), 0, 1e-7);
  EXPECT_NEAR(n[1].abs().max().item<float>(), 0, 0); // all equal: 0
  EXPECT_NEAR(maxDifference(n[2], floats({0, 0.5, 1, 0.5}, {2, 2})), 0, 1e-7);
}

MEDCLICK_TEST(feature_distances_are_euclidean_per_head) {
  const auto Q = floats({0, 0, 3, 4, 6, 8}, {1, 3, 2});
  const auto K = floats({0, 0, 3, 0}, {1, 2, 2});
  const auto d = featureDistances(Q, K)[0];
  EXPECT_NEAR(at2(d, 0, 0), 0.0, 1e-5); // a centre's own voxel
  EXPECT_NEAR(at2(d, 0, 1), 3.0, 1e-5);
  EXPECT_NEAR(at2(d, 1, 0), 5.0, 1e-5);
  EXPECT_NEAR(at2(d, 1, 1), 4.0, 1e-5);
  EXPECT_NEAR(at2(d, 2, 0), 10.0, 1e-5);
  EXPECT_NEAR(at2(d, 2, 1), std::sqrt(73.0), 1e-5);
}

MEDCLICK_TEST(clustering_distance_adds_alpha_times_the_normalised_spatial_distance) {
  // feature distances (max 10) and spatial distances (s_x = 2 on a row of three voxels, max 4)
  const auto featureDistance = floats({0, 3, 5, 4, 10, static_cast<float>(std::sqrt(73.0))}, {1, 3, 2});
  const auto centres = torch::tensor({0, 0, 0, 0, 0, 2}, torch::kLong).view({2, 3});
  const auto spatial = spatialDistances({1, 1, 3}, centres, {5.0, 0.8, 2.0});
  EXPECT_NEAR(maxDifference(spatial, floats({0, 4, 2, 2, 4, 0}, {3, 2})), 0, 1e-6);
  const auto D = clusteringDistance(featureDistance, spatial, torch::tensor(0.5))[0];
  const double expected[3][2] = {{0.0 + 0.5 * 0.0, 0.3 + 0.5 * 1.0}, {0.5 + 0.5 * 0.5, 0.4 + 0.5 * 0.5}, {1.0 + 0.5 * 1.0, std::sqrt(73.0) / 10 + 0.0}};
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 2; ++j) EXPECT_NEAR(at2(D, i, j), expected[i][j], 1e-6);
}

// ---- eq. (5)

MEDCLICK_TEST(affinity_is_a_gaussian_of_the_distance) {
  const auto A = gaussianAffinity(floats({0, 0.8, 1.5, 2}, {2, 2}));
  EXPECT_NEAR(at2(A, 0, 0), 1.0, 0);
  EXPECT_NEAR(at2(A, 0, 1), std::exp(-0.64), 1e-7);
  EXPECT_NEAR(at2(A, 1, 0), std::exp(-2.25), 1e-7);
  EXPECT_NEAR(at2(A, 1, 1), std::exp(-4.0), 1e-7);
}

// ---- eq. (6) and (7)

MEDCLICK_TEST(cluster_mask_keeps_the_best_foreground_and_the_best_background_centre) {
  const auto A = floats({0.9, 0.5, 0.2, /**/ 0.3, 0.7, 0.6, /**/ 0.4, 0.4, 0.1}, {3, 3});
  const auto mask = clusterMask(A, flags({1, 1, 0}));
  EXPECT(mask.equal(floats({1, 0, 1, /**/ 0, 1, 1, /**/ 1, 1, 1}, {3, 3}))); // a tie keeps both
  const auto CA = clusteredAffinity(A, mask);
  EXPECT(CA.equal(floats({0.9, 0, 0.2, /**/ 0, 0.7, 0.6, /**/ 0.4, 0.4, 0.1}, {3, 3})));
}

MEDCLICK_TEST(cluster_mask_with_only_foreground_centres_keeps_one_per_voxel) {
  const auto A = floats({0.9, 0.5, 0.2, /**/ 0.3, 0.7, 0.6, /**/ 0.1, 0.2, 0.3}, {3, 3});
  const auto mask = clusterMask(A, flags({1, 1, 1}));
  EXPECT(mask.equal(floats({1, 0, 0, /**/ 0, 1, 0, /**/ 0, 0, 1}, {3, 3})));
  EXPECT(clusteredAffinity(A, mask).equal(floats({0.9, 0, 0, /**/ 0, 0.7, 0, /**/ 0, 0, 0.3}, {3, 3})));
}

MEDCLICK_TEST(cluster_mask_with_only_background_centres_keeps_one_per_voxel) {
  const auto A = floats({0.2, 0.8, /**/ 0.6, 0.1}, {2, 2});
  const auto mask = clusterMask(A, flags({0, 0}));
  EXPECT(mask.equal(floats({0, 1, /**/ 1, 0}, {2, 2})));
  EXPECT(clusteredAffinity(A, mask).equal(floats({0, 0.8, /**/ 0.6, 0}, {2, 2})));
}

// ---- the Feature Clustering Block end to end

MEDCLICK_TEST(feature_clustering_combines_feature_and_spatial_terms_for_one_head) {
  FeatureClustering clustering(FeatureClusteringOptions{2, 1});
  makeClusteringTransparent(clustering, 1.0);
  const auto F = lineOfThree({0, 0}, {3, 4}, {6, 8});
  const auto centres = torch::tensor({0, 0, 0, 0, 0, 2}, torch::kLong).view({2, 3}); // voxel 0 (fore), voxel 2 (back)
  torch::NoGradGuard noGrad;
  const auto CA = clustering->forward(F, torch::zeros({1, 1, 3}), centres, flags({1, 0}), {1.0, 1.0, 2.0});
  // feature distances [0, 10], [5, 5], [10, 0] and spatial ones [0, 4], [2, 2], [4, 0] both normalise
  // to [0, 1], [½, ½], [1, 0]; α = 1: D = [0, 2], [1, 1], [2, 0]. One centre per set: the mask is all 1.
  const double expected[3][2] = {{1.0, std::exp(-4.0)}, {std::exp(-1.0), std::exp(-1.0)}, {std::exp(-4.0), 1.0}};
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 2; ++j) EXPECT_NEAR(at2(CA, i, j), expected[i][j], 1e-5);
}

MEDCLICK_TEST(feature_clustering_averages_the_heads_affinities) {
  FeatureClustering clustering(FeatureClusteringOptions{2, 2}); // one channel per head
  makeClusteringTransparent(clustering, 0.0);                    // features only
  const auto F = lineOfThree({0, 0}, {1, 3}, {2, 4});
  const auto centres = torch::tensor({0, 0, 0, 0, 0, 2}, torch::kLong).view({2, 3});
  torch::NoGradGuard noGrad;
  const auto A = clustering->affinity(F, torch::zeros({1, 1, 3}), centres, {1.0, 1.0, 1.0});
  // head 0 (0, 1, 2): distances [0, 2], [1, 1], [2, 0] → /2; head 1 (0, 3, 4): [0, 4], [3, 1], [4, 0] → /4
  const auto mean = [](double d0, double d1) { return 0.5 * (std::exp(-d0 * d0) + std::exp(-d1 * d1)); };
  EXPECT_NEAR(at2(A, 0, 0), 1.0, 1e-5);
  EXPECT_NEAR(at2(A, 0, 1), std::exp(-1.0), 1e-5);
  EXPECT_NEAR(at2(A, 1, 0), mean(0.5, 0.75), 1e-5);
  EXPECT_NEAR(at2(A, 1, 1), mean(0.5, 0.25), 1e-5);
  EXPECT_NEAR(at2(A, 2, 0), std::exp(-1.0), 1e-5);
}

MEDCLICK_TEST(previous_mask_enters_the_shared_linear_layer_as_a_channel) {
  FeatureClustering clustering(FeatureClusteringOptions{2, 1});
  makeClusteringTransparent(clustering, 1.0);
  torch::NoGradGuard noGrad;
  clustering->mask_weight.copy_(floats({0, 3}, {2}));
  const auto F = lineOfThree({0, 0}, {3, 4}, {6, 8});
  const auto centres = torch::tensor({0, 0, 0, 0, 0, 1}, torch::kLong).view({2, 3});
  const auto Sp = floats({0, 0, 1}, {1, 1, 3}); // only voxel 2 was inside
  const auto withMask = clustering->affinity(F, Sp, centres, {1.0, 1.0, 1.0});
  const auto shifted = clustering->affinity(lineOfThree({0, 0}, {3, 4}, {6, 11}), torch::zeros({1, 1, 3}), centres, {1.0, 1.0, 1.0});
  EXPECT_NEAR(maxDifference(withMask, shifted), 0, 1e-6);
  EXPECT(maxDifference(withMask, clustering->affinity(F, torch::zeros({1, 1, 3}), centres, {1.0, 1.0, 1.0})) > 1e-3);
}

// ---- the Interaction-Guided Module: point cells, M_c, eq. (2) and (3)

MEDCLICK_TEST(points_fall_into_the_feature_cell_that_holds_their_voxel_centre) {
  CaisegPrompt prompt;
  prompt.foreground = {{3, 5, 0}, {2.6, 0.4, 7.4}};
  prompt.background = {{100, -3, 6}}; // outside: clamped to the grid
  const auto cells = clickGridCoordinates(prompt, {1, 2, 2}, {4, 4, 4});
  EXPECT(cells.equal(torch::tensor({3, 2, 0, /**/ 3, 0, 3, /**/ 3, 0, 3}, torch::kLong).view({3, 3})));
  EXPECT(clickIsForeground(prompt).equal(flags({1, 1, 0})));
}

MEDCLICK_TEST(click_features_are_gathered_from_their_cells) {
  const auto F = torch::arange(16, torch::kFloat).view({2, 2, 2, 2});
  const auto Mc = gatherClickFeatures(F, torch::tensor({1, 0, 1, 0, 0, 0}, torch::kLong).view({2, 3}));
  EXPECT(Mc.equal(floats({5, 13, 0, 8}, {2, 2})));
}

MEDCLICK_TEST(adjustment_vector_is_the_labels_head_query_minus_the_click_feature) {
  const auto Mc = floats({1, 2, 3, 4, 5, 6}, {3, 2});
  const auto Madj = adjustmentVectors(Mc, flags({1, 0, 1}), floats({10, 10}, {2}), floats({0, -1}, {2}));
  EXPECT(Madj.equal(floats({9, 8, -3, -5, 5, 4}, {3, 2})));
}

MEDCLICK_TEST(adjusted_features_add_the_clustered_affinity_times_the_adjustments) {
  const auto F = lineOfThree({1, 4}, {2, 5}, {3, 6});
  const auto CA = floats({1, 0, /**/ 0.5, 0.25, /**/ 0, 0}, {3, 2});
  const auto Madj = floats({10, 20, /**/ -4, 8}, {2, 2});
  const auto Fnew = adjustFeatures(F, CA, Madj);
  // voxel 1: (2, 5) + ½ (10, 20) + ¼ (−4, 8) = (6, 17); voxel 2 has no affinity: unchanged
  EXPECT(Fnew.equal(lineOfThree({11, 24}, {6, 17}, {3, 6})));
}

MEDCLICK_TEST(interaction_guided_module_moves_each_cluster_towards_its_head_query) {
  InteractionGuidedModule igm(InteractionGuidedOptions{2, 1, {1, 1, 1}});
  makeClusteringTransparent(igm->clustering, 1.0);
  const auto F = lineOfThree({0, 0}, {3, 4}, {6, 8}).unsqueeze(0);
  const auto queries = floats({10, 0, /**/ 0, 10}, {1, 2, 2}); // q_back, q_fore
  CaisegPrompt prompt;
  prompt.foreground = {{0, 0, 0}};
  prompt.background = {{0, 0, 2}};
  prompt.spacing = {1.0, 1.0, 2.0};
  torch::NoGradGuard noGrad;
  const auto Fnew = igm->forward(F, queries, {prompt}, torch::Tensor())[0];
  // CA as in feature_clustering_combines_...: [1, e⁻⁴], [e⁻¹, e⁻¹], [e⁻⁴, 1];
  // M_adj: fore (0, 10) − (0, 0) = (0, 10), back (10, 0) − (6, 8) = (4, −8)
  const double e1 = std::exp(-1.0), e4 = std::exp(-4.0);
  const auto expected = lineOfThree({static_cast<float>(4 * e4), static_cast<float>(10 - 8 * e4)},
                                    {static_cast<float>(3 + 4 * e1), static_cast<float>(4 + 2 * e1)},
                                    {static_cast<float>(6 + 4), static_cast<float>(8 + 10 * e4 - 8)});
  EXPECT_NEAR(maxDifference(Fnew, expected), 0, 1e-5);
  EXPECT(igm->forward(F, queries, {CaisegPrompt{}}, torch::Tensor()).equal(F)); // no points: F_new = F
}

MEDCLICK_TEST(each_sample_of_a_batch_is_segmented_on_its_own) {
  // Data-parallel training splits batches over processes: no sample may see another (eval mode,
  // where BatchNorm uses its running statistics).
  torch::manual_seed(11);
  CaisegNetwork network(tinyOptions());
  network->eval();
  torch::NoGradGuard noGrad;
  const auto volumes = torch::randn({2, 1, 16, 32, 32});
  std::vector<CaisegPrompt> prompts(2);
  prompts[0].foreground = {{8, 10, 12}};
  prompts[0].background = {{2, 30, 3}};
  prompts[1].foreground = {{5, 20, 20}, {9, 21, 22}};
  for (auto& p : prompts) p.spacing = {1.0, 1.0, 2.0};
  const auto previous = torch::rand({2, 1, 16, 32, 32}).gt(0.5).to(torch::kFloat32);
  const auto both = network->forward(volumes, prompts, previous, true);
  for (int64_t b = 0; b < 2; ++b) {
    const auto alone = network->forward(volumes.narrow(0, b, 1), {prompts[static_cast<size_t>(b)]}, previous.narrow(0, b, 1), true);
    // float rounding only (convolutions may take another path for another batch size; scores of a
    // fresh network reach the thousands)
    EXPECT(maxDifference(alone.logits[0], both.logits[b]) <= 1e-4 * both.logits.abs().max().item<double>());
    EXPECT(maxDifference(alone.classLogit[0], both.classLogit[b]) <= 1e-4 * both.classLogit.abs().max().item<double>());
  }
}

MEDCLICK_TEST(previous_mask_is_averaged_onto_the_feature_grid) {
  auto Sp = torch::zeros({1, 1, 2, 4, 4});
  Sp.index_put_({0, 0, 0, 0, 0}, 1.0);
  Sp.index_put_({0, 0, 1, 0, 1}, 1.0);
  const auto iso = previousMaskOnFeatureGrid(Sp, {2, 2, 2});
  EXPECT(iso.sizes() == at::IntArrayRef({1, 1, 1, 2, 2}));
  EXPECT_NEAR(iso.index({0, 0, 0, 0, 0}).item<float>(), 2.0 / 8, 1e-7);
  const auto aniso = previousMaskOnFeatureGrid(Sp, {1, 2, 2});
  EXPECT(aniso.sizes() == at::IntArrayRef({1, 1, 2, 2, 2}));
  EXPECT_NEAR(aniso.index({0, 0, 1, 0, 0}).item<float>(), 1.0 / 4, 1e-7);
}

// ---- eq. (1): the multi-scale cross-attention

MEDCLICK_TEST(head_counts_keep_the_papers_where_they_divide_the_width) {
  EXPECT(attentionHeadsFor(256, 16) == 16);
  EXPECT(attentionHeadsFor(64, 4) == 4);
  EXPECT(attentionHeadsFor(32, 4) == 4);   // slim: 8 channels per head
  EXPECT(attentionHeadsFor(16, 16) == 4);  // heads of at least 4 channels
  EXPECT(attentionHeadsFor(24, 16) == 6);  // the largest divisor that fits
  EXPECT(attentionHeadsFor(8, 4) == 2);
  EXPECT(attentionHeadsFor(2, 4) == 1);
}

MEDCLICK_TEST(cross_attention_weights_values_by_the_softmax_of_scaled_query_key_products) {
  CrossAttentionOptions options;
  options.width = 2;
  options.heads = 2; // d_k = 1
  QueryCrossAttention attention(options);
  torch::NoGradGuard noGrad;
  attention->key->weight.copy_(torch::eye(2));
  attention->value->weight.copy_(torch::eye(2));
  attention->value->bias.zero_();
  const auto features = floats({1, 0, /**/ 0, 1}, {1, 2, 1, 1, 2}); // tokens (1, 0) and (0, 1)
  const auto q = floats({2, 0}, {1, 1, 2});
  const auto attended = attention->attend(q, features);
  // head 0: scores (2·1, 2·0)/√1 → weights σ(2), 1 − σ(2) on values 1, 0; head 1: scores (0, 0) → ½, ½ on 0, 1
  EXPECT_NEAR(attended.index({0, 0, 0}).item<float>(), sigmoid(2.0), 1e-6);
  EXPECT_NEAR(attended.index({0, 0, 1}).item<float>(), 0.5, 1e-6);
  // one head of width 2: scores (2, 0)/√2
  options.heads = 1;
  QueryCrossAttention single(options);
  single->key->weight.copy_(torch::eye(2));
  single->value->weight.copy_(torch::eye(2));
  single->value->bias.zero_();
  const auto one = single->attend(q, features);
  EXPECT_NEAR(one.index({0, 0, 0}).item<float>(), sigmoid(std::sqrt(2.0)), 1e-6);
  EXPECT_NEAR(one.index({0, 0, 1}).item<float>(), 1 - sigmoid(std::sqrt(2.0)), 1e-6);
  // eq. (1): q + MLP(q + attention); no drop path outside training
  attention->eval();
  const auto updated = attention(q, features);
  EXPECT_NEAR(maxDifference(updated, q + attention->mlp->forward(q + attended)), 0, 1e-6);
}

MEDCLICK_TEST(multi_scale_attention_maps_queries_between_widths_and_starts_from_q_fore_and_q_back) {
  MultiScaleCrossAttentionOptions options;
  options.widths = {128, 128, 64, 32}; // the slim decoder
  MultiScaleCrossAttention attention(options);
  EXPECT(attention->projections->size() == 2u); // 128 → 64 and 64 → 32; none between the two 128s
  EXPECT(attention->headsUsed() == (std::vector<int64_t>{16, 16, 8, 4}));
  attention->eval();
  torch::NoGradGuard noGrad;
  const std::vector<torch::Tensor> features{torch::randn({2, 128, 1, 2, 2}), torch::randn({2, 128, 2, 4, 4}),
                                            torch::randn({2, 64, 4, 8, 8}), torch::randn({2, 32, 8, 16, 16})};
  const auto q = attention(features);
  EXPECT(q.sizes() == at::IntArrayRef({2, 2, 32}));
  EXPECT(maxDifference(q.select(1, 0), q.select(1, 1)) > 1e-3); // q_back and q_fore stay apart
  // On the scale of unit-variance features, so that eq. (10)'s scores stay O(1): each query is
  // layer-normalised (mean 0, variance 1 over its channels).
  EXPECT(q.mean(-1).abs().max().item<float>() < 1e-4f);
  EXPECT_NEAR(q.var(-1, false).mean().item<float>(), 1.0, 1e-3);
  EXPECT(headClassScores(features.back(), q).abs().mean().item<float>() < 5.0f);
  MultiScaleCrossAttentionOptions mismatched;
  mismatched.widths = {64, 32}; // two scales, four head counts
  EXPECT_THROWS_WITH(std::invalid_argument, (void)MultiScaleCrossAttention(mismatched), "one head count per decoder scale");
}

// ---- eq. (9)–(10): deep supervision

MEDCLICK_TEST(class_probability_is_a_softmax_over_scaled_query_products_then_upsampled) {
  const auto Fnew = floats({2, 0, /**/ 0, 2}, {1, 2, 1, 1, 2}); // voxel 0 (2, 0), voxel 1 (0, 2)
  const auto queries = floats({0, 1, /**/ 1, 0}, {1, 2, 2});     // q_back (0, 1), q_fore (1, 0)
  const auto P = headClassProbability(Fnew, queries);
  EXPECT(P.sizes() == at::IntArrayRef({1, 2, 1, 1, 2}));
  // voxel 0: scores back 0, fore 2/√2
  EXPECT_NEAR(P.index({0, 1, 0, 0, 0}).item<float>(), sigmoid(std::sqrt(2.0)), 1e-6);
  EXPECT_NEAR(P.index({0, 1, 0, 0, 1}).item<float>(), sigmoid(-std::sqrt(2.0)), 1e-6);
  const auto up = upsampleProbability(P, {1, 1, 4});
  const double p0 = sigmoid(std::sqrt(2.0)), p1 = sigmoid(-std::sqrt(2.0));
  const double expected[4] = {p0, 0.75 * p0 + 0.25 * p1, 0.25 * p0 + 0.75 * p1, p1}; // half-pixel centres
  for (int64_t i = 0; i < 4; ++i) EXPECT_NEAR(up.index({0, 1, 0, 0, i}).item<float>(), expected[i], 1e-6);
  EXPECT_NEAR(maxDifference(up.sum(1), torch::ones({1, 1, 1, 4})), 0, 1e-6);
}

// ---- the backbone

MEDCLICK_TEST(slice_axis_is_coarse_when_halving_it_would_worsen_anisotropy) {
  EXPECT(!sliceAxisIsCoarse({1.5, 1.5, 1.5}));
  EXPECT(!sliceAxisIsCoarse({1.1, 1.0, 1.0}));
  EXPECT(sliceAxisIsCoarse({5.0, 0.78, 0.78}));
  EXPECT(sliceAxisIsCoarse({1.24, 0.79, 0.79}));
}

MEDCLICK_TEST(anisotropic_backbone_keeps_every_slice_in_f) {
  VnetOptions o;
  o.anisotropic = true;
  EXPECT(o.cumulativeStride(1) == (Stride3{1, 2, 2}));
  EXPECT(o.cumulativeStride(4) == (Stride3{8, 16, 16}));
  o.anisotropic = false;
  EXPECT(o.cumulativeStride(4) == (Stride3{16, 16, 16}));
}

MEDCLICK_TEST(backbone_returns_decoder_features_at_strides_16_8_4_2) {
  for (const bool anisotropic : {false, true}) {
    VnetBackbone backbone(tinyOptions(anisotropic).backbone);
    backbone->eval();
    torch::NoGradGuard noGrad;
    const int64_t D = 16;
    const auto features = backbone(torch::randn({1, 1, D, 32, 32}));
    EXPECT(features.decoder.size() == 4u);
    const int64_t depthScale = anisotropic ? 2 : 1; // depth strides 8, 4, 2, 1 instead of 16, 8, 4, 2
    const std::vector<int64_t> widths{64, 64, 32, 16};
    for (size_t i = 0; i < 4; ++i) {
      const int64_t stride = 16 >> i;
      EXPECT(features.decoder[i].sizes() ==
             at::IntArrayRef({1, widths[i], D * depthScale / stride, 32 / stride, 32 / stride}));
    }
    EXPECT(features.fullResolution.sizes() == at::IntArrayRef({1, 4, D, 32, 32}));
  }
}

// ---- the network

MEDCLICK_TEST(network_gives_two_class_outputs_at_input_size_for_isotropic_and_anisotropic_inputs) {
  for (const int variant : {0, 1, 2, 3}) {
    const bool anisotropic = variant & 1, fullResolutionHead = variant & 2;
    torch::manual_seed(1);
    CaisegNetwork network(tinyOptions(anisotropic, fullResolutionHead));
    EXPECT(network->head_up.is_empty() == !fullResolutionHead);
    network->eval();
    torch::NoGradGuard noGrad;
    const int64_t D = anisotropic ? 8 : 16;
    CaisegPrompt prompt;
    prompt.foreground = {{3, 10, 12}, {4, 11, 12}};
    prompt.background = {{1, 30, 2}};
    prompt.spacing = anisotropic ? VoxelSpacing{2.5, 0.8, 0.8} : VoxelSpacing{1.5, 1.5, 1.5};
    const auto features = network->encode(torch::randn({1, 1, D, 32, 48}));
    EXPECT(features.backbone.featureMap().sizes() == at::IntArrayRef({1, 16, anisotropic ? D : D / 2, 16, 24}));
    const auto out = network->refine(features, {prompt}, torch::zeros({1, 1, D, 32, 48}));
    EXPECT(out.logits.sizes() == at::IntArrayRef({1, 2, D, 32, 48}));
    EXPECT(out.classProbability.sizes() == at::IntArrayRef({1, 2, D, 32, 48}));
    EXPECT_NEAR(maxDifference(out.classProbability.sum(1), torch::ones({1, D, 32, 48})), 0, 1e-5);
    const auto p = CaisegNetworkImpl::foregroundProbability(out.logits);
    EXPECT(p.min().item<float>() >= 0.0f && p.max().item<float>() <= 1.0f);
  }
  CaisegNetwork network(tinyOptions(false));
  EXPECT_THROWS_WITH(std::invalid_argument, network->encode(torch::zeros({1, 1, 8, 32, 32})), "multiples of 16, 16, 16");
}

MEDCLICK_TEST(network_runs_without_clicks_and_then_ignores_the_previous_mask) {
  torch::manual_seed(2);
  CaisegNetwork network(tinyOptions());
  network->eval();
  torch::NoGradGuard noGrad;
  const auto volume = torch::randn({2, 1, 16, 32, 32});
  const auto none = network->forward(volume, {CaisegPrompt{}, CaisegPrompt{}}, torch::Tensor());
  EXPECT(none.logits.sizes() == at::IntArrayRef({2, 2, 16, 32, 32}));
  EXPECT(torch::isfinite(none.logits).all().item<bool>());
  // Without points the IGM leaves F alone: S_p enters only the clustering of the points.
  const auto withMask = network->forward(volume, {CaisegPrompt{}, CaisegPrompt{}}, torch::ones({2, 1, 16, 32, 32}));
  EXPECT(withMask.logits.equal(none.logits));
}

MEDCLICK_TEST(refining_precomputed_features_equals_the_full_forward_and_follows_the_clicks) {
  torch::manual_seed(3);
  CaisegNetwork network(tinyOptions());
  network->eval();
  torch::NoGradGuard noGrad;
  const auto volume = torch::randn({1, 1, 16, 32, 32});
  const auto previous = (torch::rand({1, 1, 16, 32, 32}) > 0.5).to(torch::kFloat);
  CaisegPrompt first;
  first.foreground = {{8, 16, 16}};
  CaisegPrompt second = first;
  second.background = {{2, 3, 30}};
  const auto features = network->encode(volume);
  const auto reused = network->refine(features, {first}, previous);
  const auto full = network->forward(volume, {first}, previous);
  EXPECT_NEAR(maxDifference(reused.logits, full.logits), 0, 1e-5);
  EXPECT_NEAR(maxDifference(reused.classProbability, full.classProbability), 0, 1e-6);
  const auto next = network->refine(features, {second}, previous, false);
  EXPECT(!next.classProbability.defined());
  EXPECT(maxDifference(next.logits, reused.logits) > 1e-4); // the new click changes the result
}

MEDCLICK_TEST(every_parameter_receives_a_gradient) {
  for (const bool fullResolutionHead : {false, true}) {
    torch::manual_seed(4);
    CaisegOptions options = tinyOptions(false, fullResolutionHead);
    options.dropPath = 0.0; // a dropped MLP branch would have no gradient in this one step
    CaisegNetwork network(options);
    network->train();
    CaisegPrompt both, foregroundOnly;
    both.foreground = {{8, 16, 16}, {9, 14, 17}};
    both.background = {{2, 3, 30}, {14, 28, 4}};
    foregroundOnly.foreground = {{5, 20, 8}};
    foregroundOnly.spacing = {2.0, 0.7, 0.7};
    const auto previous = (torch::rand({2, 1, 16, 32, 32}) > 0.5).to(torch::kFloat);
    const auto out = network->forward(torch::randn({2, 1, 16, 32, 32}), {both, foregroundOnly}, previous);
    (out.logits.log_softmax(1).select(1, 1).mean() + out.classProbability.select(1, 1).mean()).backward();
    int withoutGradient = 0;
    for (const auto& item : network->named_parameters())
      if (!item.value().grad().defined() || item.value().grad().abs().sum().item<float>() == 0.0f) {
        std::cout << "  no gradient: " << item.key() << "\n";
        ++withoutGradient;
      }
    EXPECT(withoutGradient == 0);
  }
}

MEDCLICK_TEST(weights_round_trip_through_safetensors) {
  const auto path = (std::filesystem::temp_directory_path() / ("medclick_caiseg_tiny_" + std::to_string(::getpid()) + ".safetensors")).string();
  torch::manual_seed(5);
  CaisegNetwork saved(tinyOptions());
  saveModuleWeights(*saved, path, caisegWeightsMetadata(saved->options()));
  torch::manual_seed(6);
  CaisegNetwork loaded(tinyOptions());
  EXPECT(maxDifference(loaded->attention->q_fore, saved->attention->q_fore) > 0); // different before loading
  const auto metadata = loadModuleWeights(*loaded, path);
  EXPECT(metadata.at("model") == "caiseg");
  EXPECT(metadata.at("anisotropic") == "0");
  const auto state = moduleState(*saved);
  EXPECT(state.count("igm.clustering.alpha") == 1 && state.count("attention.q_back") == 1 &&
         state.count("backbone.in_tr.bn.running_var") == 1);
  saved->eval();
  loaded->eval();
  torch::NoGradGuard noGrad;
  CaisegPrompt prompt;
  prompt.foreground = {{8, 16, 16}};
  const auto volume = torch::randn({1, 1, 16, 32, 32});
  EXPECT(saved->forward(volume, {prompt}, torch::Tensor()).logits.equal(loaded->forward(volume, {prompt}, torch::Tensor()).logits));
  CaisegNetwork anisotropic(tinyOptions(true)); // same tensors, other strides: the shapes tell them apart
  EXPECT_THROWS_WITH(WeightsError, loadModuleWeights(*anisotropic, path), "mis-shaped");
  std::filesystem::remove(path);
}

MEDCLICK_TEST(variants_have_the_documented_widths) {
  EXPECT(CaisegOptions::paper().backbone.baseWidth == 16 && CaisegOptions::paper().backbone.kernelSize == 5);
  EXPECT(CaisegOptions::slim().backbone.baseWidth == 8 && CaisegOptions::slim().backbone.kernelSize == 3);
  EXPECT(CaisegOptions::paper().fullResolutionHead && !CaisegOptions::slim().fullResolutionHead);
  EXPECT(CaisegOptions::named("slim", true).backbone.anisotropic);
  EXPECT_THROWS_WITH(std::invalid_argument, CaisegOptions::named("huge"), "unknown CAISeg variant");
}

MEDCLICK_TEST_MAIN()
