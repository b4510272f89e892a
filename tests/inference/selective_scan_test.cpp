// The selective scan h_t = exp(Δ_t·A)·h_{t−1} + Δ_t·B_t·x_t, y_t = C_t·h_t + D·x_t: a case by
// hand, the CPU kernel and the chunked form against the step-by-step definition (values and
// gradients), and SS2D's four scan orders on a non-square grid.

#include "support/torch_test.h"

#include "mamba/selective_scan.h"
#include "mamba/ss2d.h"

#include <cmath>
#include <map>
#include <string>
#include <vector>

using namespace medclick;

namespace {

// Random inputs of a realistic range: Δraw around softplus⁻¹ of 0.01–1, A = −exp(A_log) in [−e, −1/e].
SelectiveScanInputs randomInputs(int64_t batch, int64_t channels, int64_t groups, int64_t state, int64_t length,
                                 torch::Dtype dtype, bool requiresGrad) {
  const auto o = torch::TensorOptions().dtype(dtype);
  SelectiveScanInputs in;
  in.u = torch::randn({batch, channels, length}, o);
  in.delta = torch::randn({batch, channels, length}, o) - 1.0;
  in.A = -torch::exp(torch::rand({channels, state}, o) * 2.0 - 1.0);
  in.B = torch::randn({batch, groups, state, length}, o);
  in.C = torch::randn({batch, groups, state, length}, o);
  in.D = torch::randn({channels}, o);
  in.deltaBias = torch::randn({channels}, o) * 0.5;
  if (requiresGrad)
    for (auto* t : {&in.u, &in.delta, &in.A, &in.B, &in.C, &in.D, &in.deltaBias}) t->requires_grad_(true);
  return in;
}

double maxAbs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

std::vector<torch::Tensor> inputsOf(const SelectiveScanInputs& in) { return {in.u, in.delta, in.A, in.B, in.C, in.D, in.deltaBias}; }

// ∂(Σ w ⊙ y)/∂(every input) for one kernel.
std::vector<torch::Tensor> gradientsOf(const SelectiveScanInputs& in, const torch::Tensor& weights, ScanKernel kernel) {
  for (auto& t : inputsOf(in)) t.mutable_grad() = torch::Tensor();
  (selectiveScan(in, kernel) * weights).sum().backward();
  std::vector<torch::Tensor> grads;
  for (const auto& t : inputsOf(in)) grads.push_back(t.grad().clone());
  return grads;
}

} // namespace

MEDCLICK_TEST(scan_of_one_channel_matches_the_recurrence_computed_by_hand) {
  // Δ = softplus(0) = ln 2, A = −1: exp(Δ·A) = ½. B = 1, C = (1, 2), D = ½, x = (1, 2).
  //   h_0 = ln2·1·1 = 0.693147        y_0 = 1·h_0 + ½·1 = 1.193147
  //   h_1 = ½·h_0 + ln2·1·2 = 1.732868 y_1 = 2·h_1 + ½·2 = 4.465736
  SelectiveScanInputs in;
  in.u = torch::tensor({1.0, 2.0}, torch::kDouble).view({1, 1, 2});
  in.delta = torch::zeros({1, 1, 2}, torch::kDouble);
  in.A = torch::full({1, 1}, -1.0, torch::kDouble);
  in.B = torch::ones({1, 1, 1, 2}, torch::kDouble);
  in.C = torch::tensor({1.0, 2.0}, torch::kDouble).view({1, 1, 1, 2});
  in.D = torch::full({1}, 0.5, torch::kDouble);
  in.deltaBias = torch::zeros({1}, torch::kDouble);
  const double ln2 = std::log(2.0);
  for (const auto kernel : {ScanKernel::Reference, ScanKernel::Cpu, ScanKernel::Chunked}) {
    const auto y = selectiveScan(in, kernel);
    EXPECT_NEAR(y[0][0][0].item<double>(), ln2 + 0.5, 1e-12);
    EXPECT_NEAR(y[0][0][1].item<double>(), 2.0 * (0.5 * ln2 + 2.0 * ln2) + 1.0, 1e-12);
  }
  in.deltaSoftplus = false; // Δ = Δraw + bias = 0: no step, the state stays 0, y = D·x
  in.deltaBias = torch::zeros({1}, torch::kDouble);
  EXPECT_NEAR(maxAbs(selectiveScanCpu(in) - 0.5 * in.u), 0.0, 0.0);
}

MEDCLICK_TEST(cpu_kernel_and_chunked_scan_equal_the_step_by_step_recurrence) {
  torch::manual_seed(11);
  // 37 steps: not a multiple of the chunk lengths, so the padded tail is exercised.
  const auto in = randomInputs(2, 6, 3, 5, 37, torch::kDouble, false);
  const auto reference = selectiveScanReference(in);
  EXPECT(reference.sizes() == at::IntArrayRef({2, 6, 37}));
  EXPECT(maxAbs(reference) > 0.1);
  EXPECT_NEAR(maxAbs(selectiveScanCpu(in) - reference), 0.0, 1e-11);
  for (const int64_t chunk : {0, 1, 4, 8, 37, 64})
    EXPECT_NEAR(maxAbs(selectiveScanChunked(in, chunk) - reference), 0.0, 1e-11);
}

MEDCLICK_TEST(float_cpu_kernel_with_its_polynomial_exp_stays_within_float_precision) {
  torch::manual_seed(12);
  auto in = randomInputs(1, 8, 2, 16, 300, torch::kFloat, false);
  in.delta = in.delta + 2.0; // larger steps: decays down to exp(−8), the polynomial's whole range
  const auto reference = selectiveScanReference(in);
  const auto relative = (selectiveScanCpu(in) - reference).abs() / (reference.abs() + 1.0);
  EXPECT_NEAR(relative.max().item<float>(), 0.0, 2e-5);
  EXPECT_NEAR(((selectiveScanChunked(in) - reference).abs() / (reference.abs() + 1.0)).max().item<float>(), 0.0, 2e-5);
}

MEDCLICK_TEST(gradients_of_both_kernels_equal_the_gradients_of_the_recurrence) {
  torch::manual_seed(13);
  const auto in = randomInputs(2, 4, 2, 3, 23, torch::kDouble, true);
  const auto weights = torch::randn({2, 4, 23}, torch::kDouble);
  const auto reference = gradientsOf(in, weights, ScanKernel::Reference);
  const auto cpu = gradientsOf(in, weights, ScanKernel::Cpu);
  const auto chunked = gradientsOf(in, weights, ScanKernel::Chunked);
  const char* names[] = {"u", "delta", "A", "B", "C", "D", "deltaBias"};
  for (size_t i = 0; i < reference.size(); ++i) {
    EXPECT(reference[i].sizes() == inputsOf(in)[i].sizes());
    EXPECT(maxAbs(reference[i]) > 1e-3); // every input matters
    const double scale = 1.0 + maxAbs(reference[i]);
    if (maxAbs(cpu[i] - reference[i]) > 1e-10 * scale || maxAbs(chunked[i] - reference[i]) > 1e-10 * scale)
      throw test::Failure(std::string("gradient of ") + names[i] + " differs: cpu " + std::to_string(maxAbs(cpu[i] - reference[i])) +
                          ", chunked " + std::to_string(maxAbs(chunked[i] - reference[i])));
  }
}

MEDCLICK_TEST(cpu_kernel_runs_without_a_graph_in_inference_mode) {
  torch::manual_seed(14);
  const auto in = randomInputs(1, 2, 1, 4, 10, torch::kFloat, true);
  const auto withGraph = selectiveScanCpu(in);
  EXPECT(withGraph.requires_grad());
  torch::InferenceMode inference;
  const auto without = selectiveScanCpu(in);
  EXPECT(!without.requires_grad());
  EXPECT_NEAR(maxAbs(without - withGraph.detach()), 0.0, 0.0);
}

MEDCLICK_TEST(inputs_of_the_wrong_shape_are_named) {
  auto in = randomInputs(1, 4, 2, 3, 9, torch::kFloat, false);
  in.B = torch::randn({1, 2, 3, 8});
  EXPECT_THROWS_WITH(std::invalid_argument, selectiveScanCpu(in), "B must be [B, G, N, L]");
  in = randomInputs(1, 4, 3, 3, 9, torch::kFloat, false); // 3 groups do not divide 4 channels
  EXPECT_THROWS_WITH(std::invalid_argument, selectiveScanReference(in), "G dividing D");
}

// ---- SS2D: the four scan orders

MEDCLICK_TEST(cross_scan_walks_rows_columns_and_both_reversed_on_a_non_square_grid) {
  const int64_t height = 3, width = 5;
  const auto x = (torch::arange(height).view({height, 1}) * 10 + torch::arange(width).view({1, width})).to(torch::kFloat).view({1, 1, height, width});
  std::vector<float> rowMajor, columnMajor;
  for (int64_t r = 0; r < height; ++r)
    for (int64_t c = 0; c < width; ++c) rowMajor.push_back(static_cast<float>(10 * r + c));
  for (int64_t c = 0; c < width; ++c)
    for (int64_t r = 0; r < height; ++r) columnMajor.push_back(static_cast<float>(10 * r + c));
  const std::vector<std::vector<float>> orders{rowMajor, columnMajor, {rowMajor.rbegin(), rowMajor.rend()},
                                               {columnMajor.rbegin(), columnMajor.rend()}};
  const auto scanned = crossScan(x);
  EXPECT(scanned.sizes() == at::IntArrayRef({1, 4, 1, 15}));
  for (int k = 0; k < 4; ++k)
    for (int64_t t = 0; t < 15; ++t) EXPECT_NEAR(scanned[0][k][0][t].item<float>(), orders[k][t], 0.0);
}

MEDCLICK_TEST(cross_merge_puts_every_order_back_at_its_pixel) {
  torch::manual_seed(15);
  const auto x = torch::randn({2, 3, 4, 7});
  EXPECT_NEAR(maxAbs(crossMerge(crossScan(x), 4, 7) - 4.0 * x), 0.0, 1e-6);
  // The adjoint of the scan: ⟨scan(x), y⟩ = ⟨x, merge(y)⟩ for any y.
  const auto y = torch::randn({2, 4, 3, 28});
  EXPECT_NEAR((crossScan(x) * y).sum().item<float>(), (x * crossMerge(y, 4, 7)).sum().item<float>(), 1e-3);
}

MEDCLICK_TEST(ss2d_kernels_agree_on_all_four_orders_of_a_non_square_grid_values_and_gradients) {
  torch::manual_seed(16);
  SS2DOptions options(4);
  options.dState = 3;
  SS2D ss2d(options);
  ss2d->to(torch::kDouble);
  const auto input = torch::randn({2, 5, 7, 4}, torch::kDouble);
  std::map<std::string, torch::Tensor> referenceGrads;
  torch::Tensor referenceOutput;
  for (const auto kernel : {ScanKernel::Reference, ScanKernel::Cpu, ScanKernel::Chunked}) {
    ss2d->setScanKernel(kernel);
    ss2d->zero_grad();
    const auto output = ss2d(input);
    EXPECT(output.sizes() == at::IntArrayRef({2, 5, 7, 4}));
    output.square().sum().backward();
    if (kernel == ScanKernel::Reference) {
      referenceOutput = output.detach();
      for (const auto& p : ss2d->named_parameters()) referenceGrads[p.key()] = p.value().grad().clone();
      continue;
    }
    EXPECT_NEAR(maxAbs(output - referenceOutput), 0.0, 1e-11);
    for (const auto& p : ss2d->named_parameters()) {
      const auto& expected = referenceGrads.at(p.key());
      if (maxAbs(p.value().grad() - expected) > 1e-9 * (1.0 + maxAbs(expected)))
        throw test::Failure("SS2D gradient of " + p.key() + " differs by " + std::to_string(maxAbs(p.value().grad() - expected)));
    }
  }
  // Every parameter, A_logs and the four orders' projections included, reached by the gradient.
  for (const auto& [name, grad] : referenceGrads)
    if (!(maxAbs(grad) > 0.0)) throw test::Failure("no gradient reaches " + name);
}

MEDCLICK_TEST(each_scan_order_reads_only_the_pixels_before_it_in_its_order) {
  // Causality per order: a change at the last pixel of the row-major order reaches order 0 only in
  // its last step, while order 2 (row-major reversed) sees it from its first step on.
  torch::manual_seed(17);
  SS2DOptions options(2);
  options.dState = 2;
  options.dConv = 1; // no spatial mixing before the scan
  SS2D ss2d(options);
  ss2d->to(torch::kDouble);
  torch::NoGradGuard noGrad;
  auto x = torch::randn({1, ss2d->options().innerDim(), 3, 4}, torch::kDouble);
  const auto before = selectiveScan(ss2d->scanInputs(x), ScanKernel::Cpu).view({1, 4, -1, 12});
  x.select(2, 2).select(2, 3).add_(1.0); // pixel (2, 3): last in row-major order, first reversed
  const auto after = selectiveScan(ss2d->scanInputs(x), ScanKernel::Cpu).view({1, 4, -1, 12});
  const auto changed = (after - before).abs().amax(2)[0]; // [4 orders, 12 steps]
  EXPECT_NEAR(changed[0].narrow(0, 0, 11).max().item<double>(), 0.0, 0.0);
  EXPECT(changed[0][11].item<double>() > 0.0);
  EXPECT(changed[2][0].item<double>() > 0.0);
  // Column-major, pixel (2, 3) is last as well (column 3, row 2).
  EXPECT_NEAR(changed[1].narrow(0, 0, 11).max().item<double>(), 0.0, 0.0);
  EXPECT(changed[3][0].item<double>() > 0.0);
}

MEDCLICK_TEST_MAIN()
