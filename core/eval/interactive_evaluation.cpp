#include "eval/interactive_evaluation.h"

#include "eval/evaluation_clicker.h"
#include "segmentation/connected_components.h"

#include <chrono>
#include <stdexcept>

namespace medclick {

CaseResult evaluateCase(SegmentationEngine& engine, const Image& image, const LabelMask& groundTruth, const std::string& name,
                        int maxClicks, const std::vector<float>* initialProbability) {
  const ImageGeometry& g = image.geometry();
  if (g.dimension != 2) throw std::invalid_argument(name + ": the 2D protocol needs a 2D image");
  requireSameGrid(g, groundTruth.geometry(), name);
  const int width = static_cast<int>(g.size[0]), height = static_cast<int>(g.size[1]);
  CaseResult result;
  result.name = name;
  const auto start = std::chrono::steady_clock::now();
  engine.setImage(planeImage(image.voxels().data(), g.size[0], g.size[1], static_cast<int>(image.components())));
  double engineSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const std::vector<std::uint8_t> truth = objectVoxels(groundTruth);
  EvaluationClicker clicker(truth, width, height);
  std::vector<unsigned char> prediction(truth.size(), 0);
  std::vector<float> probability(prediction.size(), 0.0f); // refined in place, round after round
  if (initialProbability) {
    if (initialProbability->size() != prediction.size())
      throw std::invalid_argument(name + ": the initial probability has " + std::to_string(initialProbability->size()) +
                                  " values for " + std::to_string(prediction.size()) + " pixels");
    probability = *initialProbability;
    for (size_t i = 0; i < prediction.size(); ++i) prediction[i] = probability[i] > kEvaluationThreshold ? 1 : 0;
    result.initialIou = intersectionOverUnion(prediction, truth);
  }
  for (int k = 0; k < maxClicks; ++k) {
    const auto click = clicker.next(prediction);
    if (!click) { // nothing left to correct: the result stays as it is
      result.iouPerClick.push_back(result.iouPerClick.empty() ? intersectionOverUnion(prediction, truth)
                                                              : result.iouPerClick.back());
      continue;
    }
    const auto roundStart = std::chrono::steady_clock::now();
    engine.refine(planeClicks(clicker.clicks()), clicker.clicks().size() - 1, probability.data());
    engineSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - roundStart).count();
    for (size_t i = 0; i < prediction.size(); ++i) prediction[i] = probability[i] > kEvaluationThreshold ? 1 : 0;
    result.iouPerClick.push_back(intersectionOverUnion(prediction, truth));
  }
  result.seconds = engineSeconds;
  return result;
}

std::vector<CaseResult> evaluateCaseObjects(SegmentationEngine& engine, const Image& image, const LabelMask& groundTruth,
                                            const std::string& name, int maxClicks, std::size_t minimumPixels) {
  const ComponentLabels objects = labelComponents(objectVoxels(groundTruth), groundTruth.geometry());
  std::vector<std::size_t> area(static_cast<std::size_t>(objects.count) + 1, 0);
  for (const std::uint32_t v : objects.labels) ++area[v];
  std::vector<CaseResult> results;
  for (int object = 1; object <= objects.count; ++object) {
    if (area[static_cast<std::size_t>(object)] < std::max<std::size_t>(1, minimumPixels)) continue;
    LabelMask alone(groundTruth.geometry());
    for (std::size_t v = 0; v < objects.labels.size(); ++v) alone.labels()[v] = objects.labels[v] == static_cast<std::uint32_t>(object) ? 1 : 0;
    results.push_back(evaluateCase(engine, image, alone, name + "#" + std::to_string(object), maxClicks));
  }
  return results;
}

} // namespace medclick
