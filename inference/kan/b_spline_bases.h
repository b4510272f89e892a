#pragma once
// B-spline bases on KAN's fixed uniform grid (grid size G on [low, high], order k, extended by k
// knots on each side, so G + k bases). KANLinear's spline branch is a linear map of these bases.

#include <torch/torch.h>

namespace medclick {

struct SplineGrid {
  int gridSize = 5;
  int order = 3;
  double low = -1.0;
  double high = 1.0;

  int basisCount() const { return gridSize + order; }
  int knotCount() const { return gridSize + 2 * order + 1; }
  double step() const { return (high - low) / gridSize; }
  torch::Tensor knots() const; // [knotCount], float32
};

// Cubic bases in closed form: on a uniform grid an input in knot interval i with fraction f has only
// four non-zero bases, (1-f)^3/6, (3f^3-6f^2+4)/6, (-3f^3+3f^2+3f+1)/6 and f^3/6, at bases i-3..i.
// x: any shape; returns x.shape + [G + 3]. Requires order == 3.
torch::Tensor cubicBSplineBases(const torch::Tensor& x, const SplineGrid& grid);

// The Cox–de Boor recursion for any order: the definition, kept as the reference the closed form is
// tested against (it is several times slower).
torch::Tensor coxDeBoorBSplineBases(const torch::Tensor& x, const SplineGrid& grid);

} // namespace medclick
