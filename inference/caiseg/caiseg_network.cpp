#include "inference/caiseg/caiseg_network.h"

#include "inference/caiseg/deep_supervision.h"

#include <cmath>
#include <stdexcept>

namespace medclick {

namespace nn = torch::nn;
namespace F = torch::nn::functional;

CaisegOptions CaisegOptions::paper() { return CaisegOptions{}; }

CaisegOptions CaisegOptions::slim() {
  CaisegOptions o;
  o.variant = "slim";
  o.backbone.baseWidth = 8;
  o.backbone.kernelSize = 3;
  o.fullResolutionHead = false;
  return o;
}

CaisegOptions CaisegOptions::named(const std::string& variant, bool anisotropic) {
  CaisegOptions o;
  if (variant == "paper") o = paper();
  else if (variant == "slim") o = slim();
  else throw std::invalid_argument("unknown CAISeg variant '" + variant + "' (use paper or slim)");
  o.backbone.anisotropic = anisotropic;
  return o;
}

namespace {

// §IV-B3: "All the parameters in the network are initialized using He initialization", for the
// PReLUs' starting slope 0.25; biases start at zero.
void heInitialize(nn::Module& module) {
  torch::NoGradGuard noGrad;
  for (auto& item : module.named_parameters(true)) {
    auto& p = item.value();
    const auto& name = item.key();
    const bool isWeight = name.size() >= 6 && name.compare(name.size() - 6, 6, "weight") == 0;
    const bool isBias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
    if (isWeight && p.dim() >= 2) nn::init::kaiming_normal_(p, 0.25, torch::kFanIn, torch::kLeakyReLU);
    else if (isBias) p.zero_();
  }
}

} // namespace

CaisegNetworkImpl::CaisegNetworkImpl(const CaisegOptions& options) : options_(options) {
  const auto& b = options.backbone;
  backbone = register_module("backbone", VnetBackbone(b));
  MultiScaleCrossAttentionOptions attentionOptions;
  attentionOptions.widths = backbone->decoderWidths();
  attentionOptions.heads = options.attentionHeads;
  attentionOptions.mlpRatio = options.mlpRatio;
  attentionOptions.dropPath = options.dropPath;
  attention = register_module("attention", MultiScaleCrossAttention(attentionOptions));
  igm = register_module("igm", InteractionGuidedModule(InteractionGuidedOptions{backbone->featureChannels(), options.clusteringHeads,
                                                                                backbone->featureStride()}));
  if (options.fullResolutionHead) {
    head_up = register_module("head_up", UpTransition(backbone->featureChannels(), b.widthAt(1), b.decoderConvs.back(), b.kernelSize,
                                                      b.downStride(1)));
    head_out = register_module("head_out", OutputTransition(b.widthAt(1), b.kernelSize));
  } else {
    head_out = register_module("head_out", OutputTransition(backbone->featureChannels(), b.kernelSize));
  }
  heInitialize(*this);
}

CaisegFeatures CaisegNetworkImpl::encode(const torch::Tensor& volume) {
  CaisegFeatures features;
  features.backbone = backbone(volume);
  features.queries = attention(features.backbone.decoder);
  features.inputSize = {volume.size(2), volume.size(3), volume.size(4)};
  return features;
}

CaisegOutput CaisegNetworkImpl::refine(const CaisegFeatures& features, const std::vector<CaisegPrompt>& prompts,
                                       const torch::Tensor& previousMask, bool deepSupervision) {
  const auto adjusted = igm(features.backbone.featureMap(), features.queries, prompts, previousMask); // F_new
  CaisegOutput output;
  if (options_.fullResolutionHead) {
    output.logits = head_out(head_up(adjusted, features.backbone.fullResolution));
  } else {
    output.logits = F::interpolate(head_out(adjusted), F::InterpolateFuncOptions()
                                                           .size(features.inputSize)
                                                           .mode(torch::kTrilinear)
                                                           .align_corners(false));
  }
  if (deepSupervision) {
    const auto scores = headClassScores(adjusted, features.queries);
    output.classProbability = upsampleProbability(torch::softmax(scores, 1), features.inputSize);
    // Trilinear up-sampling is linear, so this is the up-sampled score difference: the softmax is
    // taken after up-sampling here (a voxel-wise sigmoid), before it for classProbability.
    output.classLogit = upsampleProbability(scores, features.inputSize).select(1, 1) -
                        upsampleProbability(scores, features.inputSize).select(1, 0);
  }
  return output;
}

CaisegOutput CaisegNetworkImpl::forward(const torch::Tensor& volume, const std::vector<CaisegPrompt>& prompts,
                                        const torch::Tensor& previousMask, bool deepSupervision) {
  return refine(encode(volume), prompts, previousMask, deepSupervision);
}

torch::Tensor CaisegNetworkImpl::foregroundProbability(const torch::Tensor& logits) { return torch::softmax(logits, 1).select(1, 1); }

std::map<std::string, std::string> caisegWeightsMetadata(const CaisegOptions& options) {
  return {{"model", "caiseg"}, {"variant", options.variant}, {"anisotropic", options.backbone.anisotropic ? "1" : "0"}};
}

} // namespace medclick
