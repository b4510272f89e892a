// medclick-cli segment IMAGE --click X,Y,+ ... --out MASK: one refinement round per click, in order,
// each round's probability feeding the next, as in the GUI; the mask has the image's geometry.
// With --model caiseg the image is a volume and the clicks X,Y,Z,+ are voxel indices (i, j, k).
// With --model kmunet|kanunet the mask is automatic (no clicks); --then ikan --click ... refines it,
// the automatic probability being the previous probability of round one. A volume (or a multi-modal
// case: NAME_0000.nii.gz finds NAME_0001... beside it, or --modality FILE) is segmented slice by slice
// into a mask on the volume's grid. --label N --into MAP adds the result to an existing label map as
// segment N, never touching the map's other labels (its names and colours are kept).

#include "cli/click_argument.h"
#include "cli/command.h"
#include "cli/command_parser.h"
#include "common/engine_choice.h"

#include "core/data/modality_files.h"
#include "io/image_reader.h"
#include "io/image_writer.h"
#include "io/label_map_file.h"
#include "session/label_write_rule.h"
#include "segmentation/largest_component.h"
#include "segmentation/slice_by_slice.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace medclick::cli {

namespace {

// --click X,Y,Z,+ / X,Y,Z,- : 0-based voxel indices (i = column, j = row, k = slice) and the label.
VolumeClick parseVolumeClick(const std::string& text) {
  std::stringstream in(text);
  std::string field;
  std::vector<std::string> fields;
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (fields.size() != 4) throw UsageError("--click expects X,Y,Z,+ or X,Y,Z,- for a volume (got '" + text + "')");
  double values[3];
  for (int a = 0; a < 3; ++a) {
    try {
      size_t used = 0;
      values[a] = std::stod(fields[a], &used);
      if (used != fields[a].size()) throw std::invalid_argument(fields[a]);
    } catch (const std::exception&) {
      throw UsageError("--click expects numbers for X, Y and Z (got '" + text + "')");
    }
  }
  if (fields[3] != "+" && fields[3] != "-") throw UsageError("--click label must be + or - (got '" + text + "')");
  return {values[0], values[1], values[2], fields[3] == "+"};
}

std::array<int, 3> parsePatch(const std::string& text) {
  std::array<int, 3> patch{};
  char end = 0;
  if (std::sscanf(text.c_str(), "%dx%dx%d%c", &patch[0], &patch[1], &patch[2], &end) != 3 || patch[0] <= 0 || patch[1] <= 0 || patch[2] <= 0)
    throw UsageError("--patch expects DxHxW voxels, e.g. 48x128x128 (got '" + text + "')");
  return patch;
}

// Where the result goes: a mask of its own (label N), or segment N of an existing label map.
struct SegmentationTarget {
  std::string out;
  std::string into; // empty: a mask of its own
  Label label = 1;
};

// Writes the thresholded result; returns how many voxels the segment holds in what was written.
std::size_t writeSegmentation(const LabelMask& mask, const SegmentationTarget& target) {
  if (target.into.empty()) {
    LabelMask labelled = mask;
    for (Label& v : labelled.labels()) v = v != 0 ? target.label : 0;
    if (isSlicerSegmentationPath(target.out))
      writeLabelMap(labelled, {}, target.out); // Slicer needs its segment fields
    else
      writeMask(labelled, target.out); // one file, as every mask before
    return labelled.countNonZero();
  }
  LabelMapFile map = readLabelMap(target.into);
  requireSameGrid(mask.geometry(), map.labels.geometry(), target.into);
  writeSegmentInto(map.labels, mask, target.label);
  writeLabelMap(map.labels, map.segments, target.out);
  return static_cast<std::size_t>(std::count(map.labels.labels().begin(), map.labels.labels().end(), target.label));
}

class SegmentCommand : public Command {
public:
  QString name() const override { return "segment"; }
  QString summary() const override {
    return "Segment a 2D image (IKAN or the classical engine) or a volume (CAISeg) from clicks, or a 2D image automatically "
           "(KM-UNet, KANU-Net); write the mask (and probability).";
  }

  int run(const QStringList& arguments) override {
    CommandParser command(name(), summary());
    QCommandLineOption patch("patch", "CAISeg's patch, DxHxW voxels (rounded up to multiples of 16, the depth of 8 for anisotropic "
                                      "weights; default: 128x128 in-plane, the depth from the spacing).", "DxHxW");
    QCommandLineOption model("model", "Interactive model: ikan or classic (2D), caiseg (3D); automatic (no clicks; volumes slice by slice): "
                                      "kmunet, kanunet.",
                             "NAME", "ikan");
    QCommandLineOption weights("weights", "Weights file (safetensors). Default: the bundled weights.", "FILE");
    QCommandLineOption then("then", "After an automatic model: the interactive model (ikan or classic) whose clicks refine its mask.",
                            "NAME");
    QCommandLineOption thenWeights("then-weights", "Weights of the --then model. Default: the bundled weights.", "FILE");
    QCommandLineOption device("device", "auto, cpu or cuda.", "DEVICE", "auto");
    QCommandLineOption click("click",
                             "A click X,Y,+ (object) or X,Y,- (background); 0-based column,row. Volumes (--model caiseg): "
                             "X,Y,Z,+ in voxel indices i,j,k. Repeat, in order.",
                             "X,Y[,Z],L");
    QCommandLineOption modality("modality", "Automatic models: a further modality (channel) of IMAGE on its grid; repeat in the "
                                            "weights' order. Default: an nnU-Net NAME_0000 file's NAME_0001, ... beside it.", "FILE");
    QCommandLineOption out("out", "Mask to write (.nii.gz, .nrrd, .mha, .png; .seg.nrrd for a Slicer segmentation).", "MASK");
    QCommandLineOption label("label", "The label value the segment gets (1..65535, default 1).", "N", "1");
    QCommandLineOption into("into", "An existing label map on the image's grid: the segment is added to it as --label N (its old "
                                    "voxels replaced) without touching its other labels, and the map is written to --out (which may "
                                    "be the same file). Names and colours come from its label description or .seg.nrrd header.",
                            "LABELMAP");
    QCommandLineOption prob("prob", "Also write the foreground probability (float NIfTI/NRRD/MHA).", "PROB");
    QCommandLineOption threshold("threshold", "Probability above which a pixel is object (default 0.5).", "T", "0.5");
    QCommandLineOption allComponents("all-components", "kmunet, kanunet: keep every connected object of the automatic mask (default: "
                                                       "only the largest); caiseg: keep every object (default: only those holding a "
                                                       "positive click).");
    QCommandLineOption noZoom("no-zoom", "IKAN: the whole image at every click, without RITM's zoom-in after the first clicks.");
    QCommandLineOption smallObjects("small-objects", "IKAN: zoom in around the first positive click from the first click on, for small "
                                                     "structures such as OCT fluid pockets (large ones, a breast tumour, want the default).");
    QCommandLineOption noFlip("no-flip", "IKAN and kmunet: one forward pass, without averaging the mirror image's logits.");
    command.parser().addOptions(
        {model, weights, then, thenWeights, device, click, modality, out, label, into, prob, threshold, patch, noZoom, smallObjects, noFlip, allComponents});
    command.parser().addPositionalArgument("IMAGE", "A 2D image, or a volume (--model caiseg, or an automatic model slice by slice).");
    if (!command.parse(arguments, 1)) return 0;
    auto& p = command.parser();
    if (!p.isSet(out)) throw UsageError("--out MASK is required");
    bool thresholdOk = false;
    const double cut = p.value(threshold).toDouble(&thresholdOk);
    if (!thresholdOk || cut <= 0.0 || cut >= 1.0) throw UsageError("--threshold must be a number in (0, 1)");
    bool labelOk = false;
    const int labelValue = p.value(label).toInt(&labelOk);
    if (!labelOk || labelValue < 1 || labelValue > 65535) throw UsageError("--label must be a whole number 1..65535");
    const SegmentationTarget target{p.value(out).toStdString(), p.value(into).toStdString(), static_cast<Label>(labelValue)};

    const std::string imagePath = p.positionalArguments().front().toStdString();
    const std::string modelName = p.value(model).toStdString();
    const bool automatic = app::isAutomaticModel(modelName);
    if (!automatic && p.values(click).isEmpty()) throw UsageError("give at least one --click");
    if (!automatic && (p.isSet(then) || p.isSet(thenWeights)))
      throw UsageError("--then follows an automatic model (--model kmunet or kanunet)");
    if (automatic && !p.values(click).isEmpty() && !p.isSet(then))
      throw UsageError("--model " + modelName + " segments without clicks; add --then ikan to refine its mask with clicks");
    if (automatic && p.isSet(then) && p.values(click).isEmpty())
      throw UsageError("--then " + p.value(then).toStdString() + " needs --click");
    if (p.isSet(patch) && !app::isVolumeModel(modelName)) throw UsageError("--patch applies to 3D models (--model caiseg)");
    if (p.isSet(modality) && !automatic) throw UsageError("--modality applies to the automatic models (kmunet, kanunet)");
    // An automatic model sees every modality of the case (an nnU-Net NAME_0000 brings its siblings).
    std::vector<std::string> modalityPaths{imagePath};
    for (const QString& file : p.values(modality)) modalityPaths.push_back(file.toStdString());
    if (automatic && !p.isSet(modality)) modalityPaths = nnunetModalityPaths(imagePath);
    const std::vector<Image> modalities = automatic ? readModalities(modalityPaths) : std::vector<Image>{readImage(imagePath)};
    const Image& image = modalities.front();
    const ImageGeometry& g = image.geometry();
    if (automatic && (g.dimension == 3 || modalities.size() > 1)) {
      if (p.isSet(then)) throw UsageError("--then refines a 2D image's mask; a volume's or a multi-modal case's automatic mask is final here");
      return segmentAutomaticSlices(modelName, modalities, p.value(weights).toStdString(), p.value(device).toStdString(),
                                    target, p.isSet(prob) ? p.value(prob).toStdString() : std::string(), cut,
                                    !p.isSet(allComponents), !p.isSet(noFlip));
    }
    if (app::isVolumeModel(modelName)) {
      if (g.dimension != 3) throw std::runtime_error(imagePath + ": --model " + modelName + " segments 3D volumes; this image is 2D");
      if (image.components() != 1) throw std::runtime_error(imagePath + ": --model " + modelName + " needs a grey volume");
      VolumeRequest request;
      request.model = modelName;
      for (const QString& text : p.values(click)) request.clicks.push_back(text.toStdString());
      request.weights = p.value(weights).toStdString();
      request.device = p.value(device).toStdString();
      request.target = target;
      if (p.isSet(prob)) request.prob = p.value(prob).toStdString();
      if (p.isSet(patch)) request.patch = parsePatch(p.value(patch).toStdString());
      request.threshold = cut;
      request.keepClickedObjectsOnly = !p.isSet(allComponents);
      return segmentVolume(image, request);
    }
    if (g.dimension != 2)
      throw std::runtime_error(imagePath + ": --model " + modelName + " segments 2D images; this one is 3D (use --model caiseg)");
    ClickList clicks;
    for (const QString& text : p.values(click)) {
      const Click c = parseClick(text.toStdString());
      if (c.x < 0 || c.y < 0 || c.x > static_cast<double>(g.size[0] - 1) || c.y > static_cast<double>(g.size[1] - 1))
        throw UsageError("click " + text.toStdString() + " lies outside the image (" + std::to_string(g.size[0]) + "x" +
                         std::to_string(g.size[1]) + ")");
      clicks.push_back(c);
    }

    const int width = static_cast<int>(g.size[0]), height = static_cast<int>(g.size[1]);
    const EngineImage engineImage = planeImage(image.voxels().data(), g.size[0], g.size[1], static_cast<int>(image.components()));
    std::vector<float> probability(g.voxelCount(), 0.0f); // refined in place by each round
    std::ostringstream report; // "<model> on <device>: ..." per stage
    app::EngineChoices choices;
    if (p.isSet(smallObjects) && p.isSet(noZoom)) throw UsageError("--small-objects is a zoom-in; drop --no-zoom");
    if (p.isSet(smallObjects)) choices.zoomIn = app::smallObjectZoomIn();
    choices.zoomIn.enabled = !p.isSet(noZoom);
    choices.flipAveraging = !p.isSet(noFlip);
    if (automatic) {
      const auto segmenter = app::createAutomaticEngine(modelName, p.value(weights).toStdString(), p.value(device).toStdString(), choices);
      const auto start = std::chrono::steady_clock::now();
      segmenter->setImage(engineImage);
      segmenter->refine({}, 0, probability.data());
      if (!p.isSet(allComponents)) keepLargestComponent(probability, g, cut);
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      report << segmenter->name() << " on " << segmenter->deviceName() << ": automatic mask in " << static_cast<long>(ms + 0.5) << " ms";
    }
    if (!clicks.empty()) {
      const auto engine = automatic ? app::createInteractive2dEngine(p.value(then).toStdString(), p.value(thenWeights).toStdString(),
                                                                     p.value(device).toStdString(), choices)
                                    : app::createInteractive2dEngine(modelName, p.value(weights).toStdString(), p.value(device).toStdString(),
                                                                     choices);
      engine->setImage(engineImage);
      const auto start = std::chrono::steady_clock::now();
      // Round one refines the automatic probability when there is one (X_prev), an empty mask otherwise.
      for (size_t round = 0; round < clicks.size(); ++round) {
        const ClickList upToNow(clicks.begin(), clicks.begin() + static_cast<std::ptrdiff_t>(round + 1));
        engine->refine(planeClicks(upToNow), round, probability.data());
      }
      const double msPerClick =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / static_cast<double>(clicks.size());
      report << (automatic ? ", then " : "") << engine->name() << " on " << engine->deviceName() << ": " << clicks.size() << " click(s), "
             << static_cast<long>(msPerClick + 0.5) << " ms per click";
    }

    LabelMask mask(g);
    for (size_t i = 0; i < probability.size(); ++i) mask.labels()[i] = probability[i] > cut ? 1 : 0;
    const std::size_t written = writeSegmentation(mask, target);
    if (p.isSet(prob)) {
      Image probabilityMap(g, 1, PixelType::Float32);
      probabilityMap.voxels() = probability;
      writeProbabilityMap(probabilityMap, p.value(prob).toStdString());
    }
    const double pixelArea = g.spacing[0] * g.spacing[1];
    std::cout << report.str() << "; object " << written << " pixels (" << written * pixelArea << " mm^2); wrote " << target.out << "\n";
    return 0;
  }

private:
  // An automatic model over the slices of a volume (or the one slice of a multi-modal 2D case).
  static int segmentAutomaticSlices(const std::string& modelName, const std::vector<Image>& modalities, const std::string& weights,
                                 const std::string& device, const SegmentationTarget& target, const std::string& prob, double threshold,
                                 bool largestComponent, bool flipAveraging) {
    app::EngineChoices choices;
    choices.flipAveraging = flipAveraging;
    const auto segmenter = app::createAutomaticEngine(modelName, weights, device, choices);
    const auto start = std::chrono::steady_clock::now();
    std::vector<float> probability = medclick::segmentSliceBySlice(*segmenter, modalities);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const ImageGeometry& g = modalities.front().geometry();
    if (largestComponent) keepLargestComponent(probability, g, threshold); // the volume's largest object, in 3D
    LabelMask mask(g);
    for (size_t i = 0; i < probability.size(); ++i) mask.labels()[i] = probability[i] > threshold ? 1 : 0;
    const std::size_t written = writeSegmentation(mask, target);
    if (!prob.empty()) {
      Image probabilityMap(g, 1, PixelType::Float32);
      probabilityMap.voxels() = probability;
      writeProbabilityMap(probabilityMap, prob);
    }
    const double voxelVolume = g.spacing[0] * g.spacing[1] * (g.dimension == 3 ? g.spacing[2] : 1.0);
    std::cout << segmenter->name() << " on " << segmenter->deviceName() << ": " << g.size[2] << " slice(s) of " << modalities.size()
              << " modality(ies) in " << static_cast<long>(seconds * 1000.0 + 0.5) << " ms; object " << written << " voxels ("
              << written * voxelVolume << (g.dimension == 3 ? " mm^3" : " mm^2") << "); wrote " << target.out << "\n";
    return 0;
  }

  struct VolumeRequest {
    std::string model, weights, device, prob; // prob empty: not written
    SegmentationTarget target;
    std::vector<std::string> clicks;               // as typed: X,Y,Z,L
    std::array<int, 3> patch{0, 0, 0};
    double threshold = 0.5;
    bool keepClickedObjectsOnly = true; // false with --all-components
  };

  static int segmentVolume(const Image& image, const VolumeRequest& request) {
    const ImageGeometry& g = image.geometry();
    VolumeClickList clicks;
    for (const std::string& text : request.clicks) {
      const VolumeClick c = parseVolumeClick(text);
      const double index[3] = {c.i, c.j, c.k};
      for (int a = 0; a < 3; ++a)
        if (!(index[a] >= 0 && index[a] <= static_cast<double>(g.size[a] - 1)))
          throw UsageError("click " + text + " lies outside the volume (" + std::to_string(g.size[0]) + "x" +
                           std::to_string(g.size[1]) + "x" + std::to_string(g.size[2]) + ")");
      clicks.push_back(c);
    }
    app::EngineChoices choices;
    choices.patch = request.patch;
    choices.keepClickedObjectsOnly = request.keepClickedObjectsOnly;
    const auto engine = app::createVolumeEngine(request.model, request.weights, request.device, choices);
    engine->setImage(volumeImage(image.voxels().data(), g.size, g.spacing));

    std::vector<float> probability(g.voxelCount(), 0.0f); // refined in place by each round
    std::vector<double> seconds;
    for (size_t round = 0; round < clicks.size(); ++round) {
      const VolumeClickList upToNow(clicks.begin(), clicks.begin() + static_cast<std::ptrdiff_t>(round + 1));
      const auto start = std::chrono::steady_clock::now();
      engine->refine(upToNow, round, probability.data());
      seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }

    LabelMask mask(g);
    for (size_t i = 0; i < probability.size(); ++i) mask.labels()[i] = probability[i] > request.threshold ? 1 : 0;
    const std::size_t written = writeSegmentation(mask, request.target);
    if (!request.prob.empty()) {
      Image probabilityMap(g, 1, PixelType::Float32);
      probabilityMap.voxels() = probability;
      writeProbabilityMap(probabilityMap, request.prob);
    }
    const double voxelVolume = g.spacing[0] * g.spacing[1] * g.spacing[2];
    std::ostringstream timing;
    timing.precision(2);
    timing << std::fixed << seconds.front() << " s for the first click";
    if (seconds.size() > 1) {
      double later = 0;
      for (size_t r = 1; r < seconds.size(); ++r) later += seconds[r];
      timing << ", " << later / static_cast<double>(seconds.size() - 1) << " s per later click";
    }
    std::cout << engine->name() << " on " << engine->deviceName() << ": " << clicks.size() << " click(s), " << timing.str() << "; object "
              << written << " voxels (" << written * voxelVolume << " mm^3); wrote " << request.target.out << "\n";
    return 0;
  }
};

} // namespace

std::unique_ptr<Command> makeSegmentCommand() { return std::make_unique<SegmentCommand>(); }

} // namespace medclick::cli
