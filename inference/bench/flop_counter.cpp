#include "inference/bench/flop_counter.h"

#include <torch/torch.h>

#include <cstring>

namespace medclick {

namespace {

thread_local double countedFlops = 0.0;

int64_t product(c10::IntArrayRef values) {
  int64_t p = 1;
  for (const auto v : values) p *= v;
  return p;
}

double convolutionFlops(const c10::ArrayRef<const c10::IValue>& inputs) {
  // aten::convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups)
  if (inputs.size() < 9 || !inputs[0].isTensor() || !inputs[1].isTensor()) return 0.0;
  const auto input = inputs[0].toTensor().sizes();
  const auto weight = inputs[1].toTensor().sizes();
  const bool transposed = inputs[6].toBool();
  const int64_t groups = inputs[8].toInt();
  const auto kernel = product(weight.slice(2));
  if (transposed) { // weight [Cin, Cout/groups, k...]: every input element is spread over the kernel
    return 2.0 * static_cast<double>(product(input)) * static_cast<double>(weight[1]) * static_cast<double>(kernel);
  }
  const auto stride = inputs[3].toIntVector(), padding = inputs[4].toIntVector(), dilation = inputs[5].toIntVector();
  double outputPositions = 1.0;
  for (size_t d = 0; d + 2 < input.size(); ++d) {
    const auto s = stride[std::min(d, stride.size() - 1)], p = padding[std::min(d, padding.size() - 1)],
               dl = dilation[std::min(d, dilation.size() - 1)];
    outputPositions *= static_cast<double>((input[d + 2] + 2 * p - dl * (weight[d + 2] - 1) - 1) / s + 1);
  }
  (void)groups; // weight[1] is already Cin / groups
  return 2.0 * static_cast<double>(input[0]) * static_cast<double>(weight[0]) * static_cast<double>(weight[1]) *
         static_cast<double>(kernel) * outputPositions;
}

std::unique_ptr<at::ObserverContext> onOperator(const at::RecordFunction& fn) {
  const char* name = fn.name();
  const auto inputs = fn.inputs();
  const auto tensorSizes = [&](size_t i) { return inputs[i].toTensor().sizes(); };
  if (std::strcmp(name, "aten::convolution") == 0) {
    countedFlops += convolutionFlops(inputs);
  } else if (std::strcmp(name, "aten::mm") == 0 && inputs.size() >= 2) {
    const auto a = tensorSizes(0), b = tensorSizes(1);
    countedFlops += 2.0 * a[0] * a[1] * b[1];
  } else if (std::strcmp(name, "aten::addmm") == 0 && inputs.size() >= 3) {
    const auto a = tensorSizes(1), b = tensorSizes(2);
    countedFlops += 2.0 * a[0] * a[1] * b[1];
  } else if (std::strcmp(name, "aten::bmm") == 0 && inputs.size() >= 2) {
    const auto a = tensorSizes(0), b = tensorSizes(1);
    countedFlops += 2.0 * a[0] * a[1] * a[2] * b[2];
  }
  return nullptr;
}

} // namespace

FlopCounter::FlopCounter() {
  countedFlops = 0.0;
  handle_ = at::addThreadLocalCallback(at::RecordFunctionCallback(onOperator).needsInputs(true).scopes({at::RecordScope::FUNCTION}));
}

FlopCounter::~FlopCounter() { at::removeCallback(handle_); }

double FlopCounter::flops() const { return countedFlops; }

} // namespace medclick
