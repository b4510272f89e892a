#include "common/fine_tune_job.h"

#include "core/data/label_targets.h"
#include "core/data/labeled_dataset.h"
#include "core/data/modality_files.h"
#include "core/data/object_crops.h"
#include "eval/training_curves_plot.h"
#include "io/image_reader.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace medclick::app {

namespace fs = std::filesystem;

std::vector<std::string> fineTunableModels() { return {"ikan", "caiseg", "kmunet", "kanunet"}; }

std::string trainingCurvesPath(const std::string& outDir) { return (fs::path(outDir) / "curves.png").string(); }

namespace {

// What a cache builder skipped: cases whose mask (of the label asked for) is empty, and images of
// the other dimension (2D images for CAISeg, volumes for IKAN).
struct SkippedCases {
  int emptyMask = 0;
  int otherDimension = 0;
};

// Reads every case of the folders and hands those with an image of `dimension` and a non-empty mask to
// `add`; counts the rest in `skipped`. Returns false when cancelled.
template <class AddCase>
bool forEachUsableCase(const std::vector<std::string>& dataFolders, unsigned dimension, int label, const std::atomic<bool>& cancel,
                       SkippedCases& skipped, AddCase add) {
  for (const auto& folder : dataFolders) {
    const LabeledDataset dataset = scanLabeledDataset(folder);
    spdlog::info("{}: {} layout, {} labeled cases", folder, dataset.layout, dataset.cases.size());
    for (const auto& labeledCase : dataset.cases) {
      if (cancel.load()) return false;
      const Image image = readImage(labeledCase.imagePath).toIntensity();
      if (image.geometry().dimension != dimension) {
        ++skipped.otherDimension;
        continue;
      }
      const LabelMask mask = readCaseMask(labeledCase, image.geometry(), label);
      if (mask.countNonZero() == 0) {
        ++skipped.emptyMask;
        continue;
      }
      add(labeledCase, image, mask);
    }
  }
  return true;
}

} // namespace

int buildTrainingCache(const std::vector<std::string>& dataFolders, const std::string& cachePath, int label, int cacheSize,
                       const std::atomic<bool>& cancel, const std::vector<std::string>& objectCropFolders) {
  SampleCacheWriter writer(cacheSize);
  SkippedCases skipped;
  int crops = 0;
  for (const std::string& folder : objectCropFolders)
    if (std::find(dataFolders.begin(), dataFolders.end(), folder) == dataFolders.end())
      throw std::invalid_argument("object crops come from a --data folder; " + folder + " is not one");
  for (const std::string& folder : dataFolders) {
    const bool withCrops = std::find(objectCropFolders.begin(), objectCropFolders.end(), folder) != objectCropFolders.end();
    const bool finished = forEachUsableCase({folder}, 2, label, cancel, skipped, [&](const LabeledCase& c, const Image& image, const LabelMask& mask) {
      const auto& g = image.geometry();
      writer.add(c.name, c.group, static_cast<int>(g.size[0]), static_cast<int>(g.size[1]), image.voxels().data(), objectVoxels(mask).data());
      if (!withCrops) return;
      int k = 0;
      for (const ObjectCrop& crop : objectCrops(image, mask)) {
        writer.add(c.name + "#" + std::to_string(++k), c.group, crop.side, crop.side, crop.pixels.data(), crop.mask.data());
        ++crops;
      }
    });
    if (!finished) return -1;
  }
  if (crops > 0) spdlog::info("cache {}: {} of its samples are object crops", cachePath, crops);
  spdlog::info("cache {}: {} cases; skipped {} with an empty mask, {} 3D volumes (IKAN is 2D)", cachePath, writer.count(),
               skipped.emptyMask, skipped.otherDimension);
  if (writer.count() == 0)
    throw std::runtime_error("no 2D case with a non-empty mask in the data given (" + std::to_string(skipped.emptyMask) + " empty, " +
                             std::to_string(skipped.otherDimension) + " 3D)");
  writer.write(cachePath);
  return writer.count();
}

int buildVolumeTrainingCache(const std::vector<std::string>& dataFolders, const std::string& cachePath, int label, double minimumSpacing,
                             const std::atomic<bool>& cancel, bool withLabelTargets) {
  if (withLabelTargets && label != 0) throw std::invalid_argument("label targets take every label; drop the single label " + std::to_string(label));
  VolumeCacheWriter writer(minimumSpacing);
  SkippedCases skipped;
  int extraTargets = 0;
  const bool finished = forEachUsableCase(dataFolders, 3, label, cancel, skipped, [&](const LabeledCase& c, const Image& image, const LabelMask& mask) {
    const auto& g = image.geometry();
    const auto add = [&](const std::string& name, const std::vector<uint8_t>& target) {
      writer.add(name, c.group, static_cast<int>(g.size[0]), static_cast<int>(g.size[1]), static_cast<int>(g.size[2]),
                 {g.spacing[0], g.spacing[1], g.spacing[2]}, image.voxels().data(), target.data());
    };
    add(c.name, objectVoxels(mask));
    if (!withLabelTargets) return;
    for (const LabelTarget& target : labelTargets(readCaseLabels(c, g))) {
      add(c.name + "#" + std::to_string(target.label), objectVoxels(target.mask));
      ++extraTargets;
    }
  });
  if (!finished) return -1;
  if (extraTargets > 0) spdlog::info("cache {}: {} of its volumes are single-label targets", cachePath, extraTargets);
  spdlog::info("cache {}: {} volumes; skipped {} with an empty mask, {} 2D images (CAISeg is 3D)", cachePath, writer.count(),
               skipped.emptyMask, skipped.otherDimension);
  if (writer.count() == 0)
    throw std::runtime_error("no 3D case with a non-empty mask in the data given (" + std::to_string(skipped.emptyMask) + " empty, " +
                             std::to_string(skipped.otherDimension) + " 2D)");
  writer.write(cachePath);
  return writer.count();
}

namespace {

// BraTS's labels: several of 1 (necrosis), 2 (oedema), 3 (non-enhancing), 4 (enhancing) and no other.
bool hasBratsLabels(const LabelMask& labels) {
  bool seen[256] = {};
  for (const auto v : labels.labels()) {
    if (v > 255) return false;
    seen[v] = true;
  }
  int bratsLabels = 0;
  for (int v = 5; v < 256; ++v)
    if (seen[v]) return false;
  for (int v = 1; v <= 4; ++v) bratsLabels += seen[v];
  return bratsLabels >= 2;
}

} // namespace

int buildSliceTrainingCache(const std::vector<std::string>& dataFolders, const std::string& cachePath, int label, int cropSize,
                            const std::atomic<bool>& cancel) {
  SliceCacheWriter writer(cropSize);
  int skippedEmpty = 0;
  for (const auto& folder : dataFolders) {
    const LabeledDataset dataset = scanLabeledDataset(folder);
    int classes = 0; // decided by the dataset's first case
    for (const auto& labeledCase : dataset.cases) {
      if (cancel.load()) return -1;
      std::vector<Image> modalities = readModalities(nnunetModalityPaths(labeledCase.imagePath));
      if (modalities.size() == 1) modalities.front() = modalities.front().toIntensity();
      const ImageGeometry& g = modalities.front().geometry();
      const LabelMask labels = readCaseLabels(labeledCase, g);
      if (classes == 0) {
        classes = label == 0 && hasBratsLabels(labels) ? 3 : 1;
        spdlog::info("{}: {} layout, {} labeled cases, {} modalities, {}", folder, dataset.layout, dataset.cases.size(), modalities.size(),
                     classes == 3 ? "BraTS regions (WT, TC, ET)" : "one class");
      }
      const size_t width = g.size[0], height = g.size[1], depth = g.size[2], plane = width * height;
      std::vector<float> planes(modalities.size() * plane);
      std::vector<uint8_t> masks(static_cast<size_t>(classes) * plane);
      int kept = 0, withoutLesion = 0;
      for (size_t k = 0; k < depth; ++k) {
        bool lesion = false, anatomy = false;
        for (size_t i = 0; i < plane; ++i) {
          const uint8_t v = labels.labels()[k * plane + i];
          const bool region[3] = {label == 0 ? v != 0 : v == label, v == 1 || v == 3 || v == 4, v == 4};
          for (int c = 0; c < classes; ++c) masks[static_cast<size_t>(c) * plane + i] = region[c];
          lesion = lesion || region[0];
        }
        for (size_t m = 0; m < modalities.size(); ++m) {
          const float* slice = modalities[m].voxels().data() + k * plane;
          std::copy(slice, slice + plane, planes.begin() + static_cast<std::ptrdiff_t>(m * plane));
          const auto [low, high] = std::minmax_element(slice, slice + plane);
          anatomy = anatomy || *high > *low;
        }
        if (!lesion && !(anatomy && withoutLesion++ % 4 == 0)) continue;
        const std::string suffix = depth > 1 ? "/z" + std::to_string(k) : "";
        writer.add(labeledCase.name + suffix, labeledCase.group, static_cast<int>(width), static_cast<int>(height),
                   static_cast<int>(modalities.size()), planes.data(), classes, masks.data());
        ++kept;
      }
      if (kept == 0) ++skippedEmpty;
    }
  }
  spdlog::info("cache {}: {} slices; {} cases gave none", cachePath, writer.count(), skippedEmpty);
  if (writer.count() == 0) throw std::runtime_error("no slice with a lesion or anatomy in the data given");
  writer.write(cachePath);
  return writer.count();
}

int buildModelCache(const FineTuneJobOptions& options, const std::string& cachePath, const std::atomic<bool>& cancel) {
  if (options.model == "caiseg")
    return buildVolumeTrainingCache(options.dataFolders, cachePath, options.label, options.minimumSpacing, cancel, options.labelTargets);
  if (options.model == "kanunet") return buildSliceTrainingCache(options.dataFolders, cachePath, options.label, options.sliceCropSize, cancel);
  return buildTrainingCache(options.dataFolders, cachePath, options.label, options.cacheSize, cancel, options.objectCropFolders);
}

TrainingSummary runFineTuneJob(const FineTuneJobOptions& options, const ProgressCallback& progress, const std::atomic<bool>& cancel) {
  const auto models = fineTunableModels();
  if (std::find(models.begin(), models.end(), options.model) == models.end())
    throw std::invalid_argument("unknown model '" + options.model + "' for fine-tuning (available: ikan, caiseg, kmunet, kanunet)");
  const bool caiseg = options.model == "caiseg";
  const std::string outDir = caiseg ? options.caiseg.outDir : options.training.outDir;
  if (outDir.empty()) throw std::invalid_argument("no output folder given for the training run");
  fs::create_directories(outDir);
  std::string cachePath = caiseg ? options.caiseg.cachePath : options.training.cachePath;
  if (cachePath.empty()) cachePath = (fs::path(outDir) / "cases.safetensors").string();
  if (!options.dataFolders.empty()) {
    if (buildModelCache(options, cachePath, cancel) < 0) {
      TrainingSummary cancelled;
      cancelled.cancelled = true;
      return cancelled;
    }
  } else if (!fs::exists(cachePath)) {
    throw std::invalid_argument("give a labeled data folder or an existing tensor cache (" + cachePath + " does not exist)");
  }

  const std::string metricsPath = (fs::path(outDir) / "metrics.csv").string(); // where the trainer appends each epoch
  const std::string curvesPath = trainingCurvesPath(outDir);
  const ProgressCallback report = [&](const TrainingProgress& r) {
    if (r.validated && r.mainProcess) { // rank 0 alone writes a data-parallel job's files
      // The plot is a view of metrics.csv: failing to draw it is reported and must not end hours of training.
      try {
        writeTrainingCurvesPlot(metricsPath, curvesPath);
      } catch (const std::exception& e) {
        spdlog::warn("curves.png not updated: {}", e.what());
      }
    }
    if (progress) progress(r);
  };
  if (caiseg) {
    CaisegTrainingOptions training = options.caiseg;
    training.cachePath = cachePath;
    return runCaisegTraining(training, report, cancel);
  }
  if (options.model == "kmunet" || options.model == "kanunet") {
    SegmenterTrainingOptions segmenter = options.segmenter;
    segmenter.model = options.model;
    segmenter.outDir = outDir;
    segmenter.cachePath = cachePath;
    return runSegmenterTraining(segmenter, report, cancel);
  }
  IkanTrainingOptions training = options.training;
  training.cachePath = cachePath;
  return runIkanTraining(training, report, cancel);
}

} // namespace medclick::app
