#include "kan/b_spline_bases.h"

#include <stdexcept>

namespace medclick {

torch::Tensor SplineGrid::knots() const {
  return torch::arange(-order, gridSize + order + 1, torch::kFloat32) * step() + low;
}

torch::Tensor cubicBSplineBases(const torch::Tensor& x, const SplineGrid& grid) {
  if (grid.order != 3) throw std::invalid_argument("cubicBSplineBases: the closed form is for order 3");
  const int intervals = grid.knotCount() - 1;
  const double firstKnot = grid.low - grid.order * grid.step();
  const auto position = (x - firstKnot) / grid.step();
  const auto cell = position.floor();
  const auto f = position - cell;
  const auto inside = (cell >= 0).logical_and(cell <= intervals - 1).to(x.dtype());
  const auto f2 = f * f;
  const auto f3 = f2 * f;
  const auto oneMinus = 1.0 - f;
  const auto pieces = torch::stack({oneMinus * oneMinus * oneMinus / 6.0, (3.0 * f3 - 6.0 * f2 + 4.0) / 6.0,
                                    (-3.0 * f3 + 3.0 * f2 + 3.0 * f + 1.0) / 6.0, f3 / 6.0},
                                   -1) *
                      inside.unsqueeze(-1);
  // Basis j sits at padded slot j + 3, so the four bases i-3..i of cell i go to slots i..i+3.
  const auto offsets = torch::arange(4, torch::TensorOptions().dtype(torch::kLong).device(x.device()));
  const auto slots = cell.clamp(0, intervals - 1).to(torch::kLong).unsqueeze(-1) + offsets;
  auto paddedShape = x.sizes().vec();
  paddedShape.push_back(grid.basisCount() + 6);
  const auto padded = torch::zeros(paddedShape, x.options()).scatter(-1, slots, pieces);
  return padded.narrow(-1, 3, grid.basisCount());
}

torch::Tensor coxDeBoorBSplineBases(const torch::Tensor& x, const SplineGrid& grid) {
  const auto t = grid.knots().to(x.device()).to(x.dtype());
  const auto v = x.unsqueeze(-1);
  const auto count = t.size(0);
  auto bases = (v >= t.narrow(0, 0, count - 1)).logical_and(v < t.narrow(0, 1, count - 1)).to(x.dtype());
  for (int k = 1; k <= grid.order; ++k) {
    const auto n = bases.size(-1) - 1;
    const auto left = (v - t.narrow(0, 0, n)) / (t.narrow(0, k, n) - t.narrow(0, 0, n)) * bases.narrow(-1, 0, n);
    const auto right = (t.narrow(0, k + 1, n) - v) / (t.narrow(0, k + 1, n) - t.narrow(0, 1, n)) * bases.narrow(-1, 1, n);
    bases = left + right;
  }
  return bases;
}

} // namespace medclick
