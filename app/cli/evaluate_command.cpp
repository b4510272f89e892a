// medclick-cli evaluate: the click-simulation protocol (NoC) on labeled 2D data, for any engine, and
// the overlap protocol (Dice, IoU, HD95) for the automatic segmenters.
//   evaluate --model ikan|classic [--weights W] --data DIR ... [--split split.txt] [--max-clicks 20]
//            [--limit N] [--seed S] [--init kmunet|kanunet [--init-weights W]] --out DIR
//            [--per-object [--min-object-pixels N]]: every connected object of a mask is its own target
//   evaluate --model kmunet|kanunet [--weights W] --data DIR ... [--split split.txt] --out DIR
//   evaluate --model caiseg|classic --data VOLUMES ...: the 3D protocol (Dice per click, mNoC)
//   evaluate --compare A/summary.json B/summary.json ... --out plot.png

#include "cli/command.h"
#include "cli/command_parser.h"
#include "common/engine_choice.h"

#include "core/data/label_targets.h"
#include "core/data/labeled_dataset.h"
#include "core/data/modality_files.h"
#include "eval/automatic_evaluation.h"
#include "eval/interactive_evaluation.h"
#include "eval/volume_interactive_evaluation.h"
#include "eval/click_curve_plot.h"
#include "io/image_reader.h"
#include "segmentation/largest_component.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <set>

namespace medclick::cli {

namespace {

std::set<std::string> validationCases(const std::string& splitFile) {
  std::ifstream in(splitFile);
  if (!in) throw std::runtime_error(splitFile + ": cannot read the split file");
  std::set<std::string> names;
  for (std::string line; std::getline(in, line);)
    if (line.rfind("validation\t", 0) == 0) names.insert(line.substr(11));
  if (names.empty()) throw std::runtime_error(splitFile + ": no validation cases listed");
  return names;
}

// One --compare curve; `metric` says what its values are ("Dice" for 3D runs, "IoU" for 2D ones).
ClickCurve curveFromSummary(const QString& path, std::string& metric) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) throw std::runtime_error(path.toStdString() + ": cannot read");
  const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
  const bool dice = o.contains("mdice_per_click");
  const QString key = dice ? "mdice_per_click" : "miou_per_click";
  if (!o.contains(key)) throw std::runtime_error(path.toStdString() + ": not an evaluation summary.json");
  metric = dice ? "Dice" : "IoU";
  ClickCurve curve;
  // The run's folder names what was evaluated (e.g. "ikan-busi"); the summary names the engine.
  const std::string run = std::filesystem::path(path.toStdString()).parent_path().filename().string();
  curve.label = (run.empty() ? "" : run + ": ") + o["model"].toString().toStdString() + ", " + std::to_string(o["cases"].toInt()) + " cases";
  for (const auto v : o[key].toArray()) curve.meanPerClick.push_back(v.toDouble());
  return curve;
}

class EvaluateCommand : public Command {
public:
  QString name() const override { return "evaluate"; }
  QString summary() const override {
    return "Measure NoC@80/85/90 and IoU per click with simulated clicks on labeled data, or Dice, IoU and HD95 of an automatic "
           "segmenter (KM-UNet, KANU-Net).";
  }

  int run(const QStringList& arguments) override {
    CommandParser command(name(), summary());
    QCommandLineOption model("model", "ikan or classic (clicks on 2D images), caiseg or classic (clicks on volumes: Dice per click), "
                                      "kmunet or kanunet (automatic: Dice, IoU, HD95).", "NAME", "ikan");
    QCommandLineOption weights("weights", "The model's weights (default: the bundled ones).", "FILE");
    QCommandLineOption init("init", "Start the clicks from this automatic model's mask (kmunet or kanunet): IoU@0 is its IoU.", "NAME");
    QCommandLineOption initWeights("init-weights", "Weights of the --init model (default: the bundled ones).", "FILE");
    QCommandLineOption data("data", "Labeled folder (images/+masks/, BUSI or MSD layout). Repeat for several.", "DIR");
    QCommandLineOption split("split", "Only the cases a training run's split.txt lists as validation.", "FILE");
    QCommandLineOption maxClicks("max-clicks", "Clicks per case (default 20).", "N", "20");
    QCommandLineOption limit("limit", "At most N cases, drawn with --seed (default all).", "N", "0");
    QCommandLineOption seed("seed", "Seed for --limit's draw.", "S", "0");
    QCommandLineOption device("device", "auto, cpu or cuda.", "DEVICE", "auto");
    QCommandLineOption label("label", "Object = this label value of multi-label masks (default: every label > 0).", "N", "0");
    QCommandLineOption noZoom("no-zoom", "IKAN: the whole image at every click, without RITM's zoom-in after the first clicks.");
    QCommandLineOption zoomAfter("zoom-after", "IKAN: the clicks that see the whole image before the zoom-in (default 4).", "N");
    QCommandLineOption zoomMinCrop("zoom-min-crop", "IKAN: the zoom-in crop's smallest side, as a fraction of the image's shorter side "
                                                    "(default 0.6; small objects such as OCT fluid pockets want less).", "F");
    QCommandLineOption smallObjects("small-objects", "IKAN: zoom in around the first positive click from the first click on (crops of "
                                                     "at least 0.15 of the shorter side; --zoom-after and --zoom-min-crop still apply), "
                                                     "for small structures such as OCT fluid pockets.");
    QCommandLineOption noFlip("no-flip", "IKAN and kmunet (also as --init): one forward pass, without averaging the mirror image's logits.");
    QCommandLineOption allComponents("all-components", "kmunet, kanunet: keep every connected object of the automatic mask (default: "
                                                       "only the largest, as validated on the held-out cases); caiseg and classic on "
                                                       "volumes: keep every object (default: only those holding a positive click).");
    QCommandLineOption clicksOnly("clicks-only", "caiseg: no automatic first round; the first click starts from an empty mask, as in the "
                                                 "GUI when the user clicks without pressing Auto (default: the paper's protocol, "
                                                 "which segments once without clicks first).");
    QCommandLineOption perObject("per-object", "2D clicks: every face-connected object of a reference mask (a fluid pocket) is its own "
                                               "target, segmented from an empty mask with its own clicks (instance-level NoC); "
                                               "per_case.csv has one row per object, NAME#k.");
    QCommandLineOption minObjectPixels("min-object-pixels", "--per-object: objects smaller than this are left out (default 10 pixels).",
                                       "N", "10");
    QCommandLineOption labelTargets("label-targets", "Volumes: every label of a multi-label reference (BraTS's sub-regions) is also a "
                                                     "target of its own, NAME#L, as train --label-targets trains them.");
    QCommandLineOption compare("compare", "Plot several summary.json files into --out PNG instead.", "JSON");
    QCommandLineOption out("out", "Output folder (or PNG with --compare).", "PATH");
    command.parser().addOptions({model, weights, init, initWeights, data, split, maxClicks, limit, seed, device, label, noZoom, zoomAfter, zoomMinCrop, smallObjects, noFlip,
                                 allComponents, clicksOnly, perObject, minObjectPixels, labelTargets, compare, out});
    if (!command.parse(arguments, 0)) return 0;
    auto& p = command.parser();
    if (!p.isSet(out)) throw UsageError("--out is required");
    if (p.isSet(compare)) {
      std::vector<ClickCurve> curves;
      std::string firstMetric;
      for (const auto& path : p.values(compare)) {
        std::string metric;
        curves.push_back(curveFromSummary(path, metric));
        if (firstMetric.empty()) firstMetric = metric;
        // One axis: Dice (volumes) and IoU (2D images) curves on it would read as comparable.
        if (metric != firstMetric)
          throw UsageError("--compare takes summaries of one metric: " + firstMetric + " and " + metric +
                           " curves given (volumes are scored by Dice, 2D images by IoU)");
      }
      writeClickCurvePlot(curves, p.value(out).toStdString(), "mean " + firstMetric);
      return 0;
    }
    if (!p.isSet(data)) throw UsageError("give --data DIR");
    const int clicks = p.value(maxClicks).toInt();
    if (clicks < 1 || clicks > 100) throw UsageError("--max-clicks must be 1..100");
    const std::string modelName = p.value(model).toStdString();
    const std::string initName = p.value(init).toStdString();
    const bool automatic = app::isAutomaticModel(modelName);
    if (automatic && p.isSet(maxClicks)) throw UsageError("--model " + modelName + " segments without clicks; --max-clicks does not apply");
    if (automatic && p.isSet(init)) throw UsageError("--init starts the clicks of --model ikan or classic from an automatic mask");
    if (p.isSet(init) && !app::isAutomaticModel(initName)) throw UsageError("--init takes an automatic model: kmunet or kanunet");
    if (p.isSet(initWeights) && !p.isSet(init)) throw UsageError("--init-weights needs --init kmunet|kanunet");
    const bool volumeModel = app::isVolumeModel(modelName);
    if (p.isSet(clicksOnly) && !volumeModel) throw UsageError("--clicks-only applies to --model caiseg (the others start without an automatic round)");
    if (p.isSet(perObject) && (automatic || volumeModel))
      throw UsageError("--per-object applies to 2D clicks (--model ikan or classic on 2D images)");
    if (p.isSet(perObject) && p.isSet(init)) throw UsageError("--per-object starts every object from an empty mask; drop --init");
    if (p.isSet(labelTargets) && p.isSet(label)) throw UsageError("--label-targets takes every label; drop --label");
    if (p.isSet(labelTargets) && (automatic || p.isSet(perObject)))
      throw UsageError("--label-targets applies to volumes (--model caiseg, or classic on volumes)");
    if (p.isSet(minObjectPixels) && !p.isSet(perObject)) throw UsageError("--min-object-pixels goes with --per-object");
    bool minimumOk = false;
    const int minimumPixels = p.value(minObjectPixels).toInt(&minimumOk);
    if (!minimumOk || minimumPixels < 1) throw UsageError("--min-object-pixels must be a whole number >= 1");
    if (volumeModel && p.isSet(init)) throw UsageError("--init starts 2D clicks from an automatic mask; " + modelName + " has its own automatic round");

    // The models first: a wrong weights file is reported before any case is read.
    app::EngineChoices choices;
    if (p.isSet(smallObjects) && p.isSet(noZoom)) throw UsageError("--small-objects is a zoom-in; drop --no-zoom");
    if (p.isSet(smallObjects)) choices.zoomIn = app::smallObjectZoomIn();
    choices.zoomIn.enabled = !p.isSet(noZoom);
    if (p.isSet(zoomAfter)) {
      bool ok = false;
      choices.zoomIn.skipClicks = p.value(zoomAfter).toInt(&ok);
      if (!ok || choices.zoomIn.skipClicks < 0 || choices.zoomIn.skipClicks > 100) throw UsageError("--zoom-after must be 0..100 clicks");
    }
    if (p.isSet(zoomMinCrop)) {
      bool ok = false;
      choices.zoomIn.minCropFraction = p.value(zoomMinCrop).toDouble(&ok);
      if (!ok || !(choices.zoomIn.minCropFraction > 0.0 && choices.zoomIn.minCropFraction <= 1.0))
        throw UsageError("--zoom-min-crop must be a fraction in (0, 1]");
    }
    choices.flipAveraging = !p.isSet(noFlip);
    choices.keepClickedObjectsOnly = !p.isSet(allComponents);
    std::unique_ptr<SegmentationEngine> segmenter; // the automatic model, or the one whose masks start the clicks
    if (automatic || p.isSet(init))
      segmenter = app::createAutomaticEngine(automatic ? modelName : initName,
                                             (automatic ? p.value(weights) : p.value(initWeights)).toStdString(),
                                             p.value(device).toStdString(), choices);
    std::unique_ptr<SegmentationEngine> volumeEngine;
    if (volumeModel) volumeEngine = app::createVolumeEngine(modelName, p.value(weights).toStdString(), p.value(device).toStdString(), choices);
    std::unique_ptr<SegmentationEngine> engine;
    if (!automatic && !volumeModel)
      engine = app::createInteractive2dEngine(modelName, p.value(weights).toStdString(), p.value(device).toStdString(), choices);

    std::vector<LabeledCase> cases;
    for (const QString& folder : p.values(data)) {
      const auto dataset = scanLabeledDataset(folder.toStdString());
      cases.insert(cases.end(), dataset.cases.begin(), dataset.cases.end());
    }
    if (p.isSet(split)) {
      const auto keep = validationCases(p.value(split).toStdString());
      cases.erase(std::remove_if(cases.begin(), cases.end(), [&](const LabeledCase& c) { return !keep.count(c.name); }), cases.end());
    }
    const int caseLimit = p.value(limit).toInt();
    if (caseLimit > 0 && static_cast<int>(cases.size()) > caseLimit) {
      std::mt19937_64 random(static_cast<uint64_t>(p.value(seed).toLongLong()));
      std::shuffle(cases.begin(), cases.end(), random);
      cases.resize(static_cast<size_t>(caseLimit));
    }

    const std::filesystem::path outDir(p.value(out).toStdString());
    std::filesystem::create_directories(outDir);
    if (automatic) return evaluateAutomatic(*segmenter, cases, p.value(label).toInt(), !p.isSet(allComponents), outDir);
    // classic follows the data: volumes get the 3D watershed and the 3D protocol.
    if (!volumeModel && modelName == "classic" && !p.isSet(init) && !cases.empty() && readImageDimension(cases.front().imagePath) == 3)
      volumeEngine = app::createVolumeEngine("classic", "", "cpu", choices);
    if (volumeEngine)
      return evaluateVolumes(*volumeEngine, volumeModel && !p.isSet(clicksOnly), cases, p.value(label).toInt(), p.isSet(labelTargets), clicks,
                             outDir);
    if (p.isSet(labelTargets)) throw UsageError("--label-targets applies to volumes (--model caiseg, or classic on volumes)");
    std::vector<CaseResult> results;
    double initSeconds = 0;
    int skipped = 0, imagesWithObjects = 0;
    for (size_t i = 0; i < cases.size(); ++i) {
      const Image image = readImage(cases[i].imagePath);
      if (image.geometry().dimension != 2) {
        ++skipped;
        continue;
      }
      const LabelMask mask = readCaseMask(cases[i], image.geometry(), p.value(label).toInt());
      if (mask.countNonZero() == 0) {
        ++skipped;
        continue;
      }
      if (p.isSet(perObject)) {
        const std::vector<CaseResult> objects = evaluateCaseObjects(*engine, image, mask, cases[i].name, clicks, static_cast<std::size_t>(minimumPixels));
        if (objects.empty()) {
          ++skipped;
          continue;
        }
        ++imagesWithObjects;
        results.insert(results.end(), objects.begin(), objects.end());
      } else if (segmenter) { // round one refines the automatic mask, as segment --then ikan does
        const auto start = std::chrono::steady_clock::now();
        const ImageGeometry& g = image.geometry();
        segmenter->setImage(planeImage(image.voxels().data(), g.size[0], g.size[1], static_cast<int>(image.components())));
        std::vector<float> initial = refinedMap(*segmenter, {}, 0, nullptr, g.voxelCount());
        if (!p.isSet(allComponents)) keepLargestComponent(initial, g, kEvaluationThreshold);
        initSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        results.push_back(evaluateCase(*engine, image, mask, cases[i].name, clicks, &initial));
      } else {
        results.push_back(evaluateCase(*engine, image, mask, cases[i].name, clicks));
      }
      std::fprintf(stderr, "\r[%zu/%zu] %s: IoU@1 %.3f, NoC@85 %d   ", i + 1, cases.size(), cases[i].name.c_str(),
                   results.back().iouPerClick.front(), numberOfClicks(results.back(), 0.85));
    }
    std::fprintf(stderr, "\n");
    if (results.empty()) throw std::runtime_error("no case could be evaluated (empty masks or 3D images only)");

    const EvaluationSummary s = summarize(results, clicks);
    std::ofstream((outDir / "summary.json").string()) << summaryJson(s, engine->name(), initName, p.isSet(perObject) ? imagesWithObjects : 0)
                                                      << "\n";
    std::ofstream perCase((outDir / "per_case.csv").string());
    perCase << "case,noc80,noc85,noc90,seconds" << (segmenter ? ",iou0" : "");
    for (int k = 1; k <= clicks; ++k) perCase << ",iou" << k;
    perCase << "\n";
    for (const auto& r : results) {
      perCase << '"' << r.name << "\"," << numberOfClicks(r, 0.80) << "," << numberOfClicks(r, 0.85) << "," << numberOfClicks(r, 0.90)
              << "," << r.seconds;
      if (r.initialIou) perCase << "," << *r.initialIou;
      for (const double iou : r.iouPerClick) perCase << "," << iou;
      perCase << "\n";
    }
    writeClickCurvePlot({{engine->name(), s.meanIouPerClick}}, (outDir / "iou_vs_clicks.png").string());

    const auto at = [&](int k) { return k <= clicks ? s.meanIouPerClick[static_cast<size_t>(k - 1)] : s.meanIouPerClick.back(); };
    std::printf("%-24s %6s %6s %6s %8s %8s %8s %6s %8s %9s\n", "model", "NoC@80", "NoC@85", "NoC@90", "mIoU@1", "mIoU@5", "mIoU@10",
                "cases", ">20@90", "ms/click");
    std::printf("%-24s %6.2f %6.2f %6.2f %8.3f %8.3f %8.3f %6d %8d %9.1f\n", engine->name().c_str(), s.noc80, s.noc85, s.noc90, at(1), at(5),
                at(10), s.cases, s.neverReach90, s.msPerClick);
    if (segmenter)
      std::printf("clicks started from %s's masks: mIoU@0 %.3f, %.0f ms per case\n", segmenter->name().c_str(), s.meanInitialIou.value_or(0.0),
                  1000.0 * initSeconds / s.cases);
    if (p.isSet(perObject))
      std::printf("per-object protocol: %d objects of at least %d pixels in %d images\n", s.cases, minimumPixels, imagesWithObjects);
    if (skipped > 0) std::printf("(%d cases skipped: empty mask%s or 3D)\n", skipped, p.isSet(perObject) ? ", objects all too small" : "");
    return 0;
  }

private:
  // The 3D protocol (volume_interactive_evaluation.h) on every volume with a non-empty reference;
  // automaticFirstRound: the engine segments once without clicks first (CAISeg's protocol).
  // withLabelTargets: a multi-label reference also gives one target per label (data/label_targets.h).
  static int evaluateVolumes(SegmentationEngine& engine, bool automaticFirstRound, const std::vector<LabeledCase>& cases, int label,
                             bool withLabelTargets, int clicks, const std::filesystem::path& outDir) {
    std::vector<VolumeCaseResult> results;
    int skipped = 0;
    for (size_t i = 0; i < cases.size(); ++i) {
      const Image volume = readImage(cases[i].imagePath);
      if (volume.geometry().dimension != 3) {
        ++skipped;
        continue;
      }
      const LabelMask mask = readCaseMask(cases[i], volume.geometry(), label);
      if (mask.countNonZero() == 0) {
        ++skipped;
        continue;
      }
      const auto evaluate = [&](const LabelMask& target, const std::string& name) {
        results.push_back(evaluateVolumeCase(engine, volume, target, name, clicks, automaticFirstRound));
        const VolumeCaseResult& r = results.back();
        std::fprintf(stderr, "\r[%zu/%zu] %s: Dice@1 %.3f, Dice@%d %.3f, NoC@85 %d   ", i + 1, cases.size(), name.c_str(),
                     r.clicks.iouPerClick.front(), clicks, r.clicks.iouPerClick.back(), numberOfClicks(r.clicks, 0.85));
      };
      evaluate(mask, cases[i].name);
      if (withLabelTargets)
        for (const LabelTarget& target : labelTargets(readCaseLabels(cases[i], volume.geometry())))
          evaluate(target.mask, cases[i].name + "#" + std::to_string(target.label));
    }
    std::fprintf(stderr, "\n");
    if (results.empty()) throw std::runtime_error("no volume could be evaluated (empty masks or 2D images only)");

    std::vector<CaseResult> clickResults;
    for (const auto& r : results) clickResults.push_back(r.clicks);
    const EvaluationSummary s = summarize(clickResults, clicks);
    std::ofstream((outDir / "summary.json").string()) << volumeSummaryJson(s, results, engine.name()) << "\n";
    std::ofstream perCase((outDir / "per_case.csv").string());
    perCase << "case,noc80,noc85,noc90,seconds,dice,jaccard,precision,recall,hd95_mm,assd_mm" << (automaticFirstRound ? ",dice0" : "");
    for (int k = 1; k <= clicks; ++k) perCase << ",dice" << k;
    perCase << "\n";
    for (const auto& r : results) {
      const auto distance = [](double mm) { return std::isfinite(mm) ? std::to_string(mm) : std::string("inf"); };
      perCase << '"' << r.clicks.name << "\"," << numberOfClicks(r.clicks, 0.80) << "," << numberOfClicks(r.clicks, 0.85) << ","
              << numberOfClicks(r.clicks, 0.90) << "," << r.clicks.seconds << "," << r.final.dice << "," << r.final.iou << ","
              << r.final.precision << "," << r.final.recall << "," << distance(r.final.hd95Millimetres) << ","
              << distance(r.final.assdMillimetres);
      if (r.clicks.initialIou) perCase << "," << *r.clicks.initialIou;
      for (const double dice : r.clicks.iouPerClick) perCase << "," << dice;
      perCase << "\n";
    }
    writeClickCurvePlot({{engine.name(), s.meanIouPerClick}}, (outDir / "dice_vs_clicks.png").string(), "mean Dice");

    const auto at = [&](int k) { return k <= clicks ? s.meanIouPerClick[static_cast<size_t>(k - 1)] : s.meanIouPerClick.back(); };
    std::printf("%-24s %7s %7s %7s %8s %8s %8s %6s %8s %9s\n", "model", "mNoC@80", "mNoC@85", "mNoC@90", "Dice@1", "Dice@5", "Dice@10",
                "cases", ">20@90", "ms/click");
    std::printf("%-24s %7.2f %7.2f %7.2f %8.3f %8.3f %8.3f %6d %8d %9.1f\n", engine.name().c_str(), s.noc80, s.noc85, s.noc90, at(1), at(5),
                at(10), s.cases, s.neverReach90, s.msPerClick);
    if (s.meanInitialIou) std::printf("automatic first round (no clicks): mean Dice %.3f\n", *s.meanInitialIou);
    const VolumeFinalSummary f = summarizeFinal(results);
    std::printf("after %d clicks: Dice %.3f", clicks, f.dice);
    if (f.distanceCases > 0) std::printf(", HD95 %.2f mm, ASSD %.2f mm", f.hd95Millimetres, f.assdMillimetres);
    std::printf("\n");
    if (skipped > 0) std::printf("(%d cases skipped: empty mask or 2D)\n", skipped);
    return 0;
  }

  // Dice, IoU, HD95 of the automatic mask of each case with a non-empty reference: 2D images whole,
  // volumes slice by slice with an MSD case's modalities (NAME_0000, NAME_0001, ...) as channels.
  static int evaluateAutomatic(SegmentationEngine& segmenter, const std::vector<LabeledCase>& cases, int label, bool largestComponent,
                               const std::filesystem::path& outDir) {
    std::vector<AutomaticCaseResult> results;
    int skipped = 0;
    for (size_t i = 0; i < cases.size(); ++i) {
      const std::vector<Image> modalities = readModalities(nnunetModalityPaths(cases[i].imagePath));
      const LabelMask mask = readCaseMask(cases[i], modalities.front().geometry(), label);
      if (mask.countNonZero() == 0) { // as the click protocol: lesion images only
        ++skipped;
        continue;
      }
      results.push_back(evaluateAutomaticCase(segmenter, modalities, mask, cases[i].name, largestComponent));
      std::fprintf(stderr, "\r[%zu/%zu] %s: Dice %.3f   ", i + 1, cases.size(), cases[i].name.c_str(), results.back().metrics.dice);
    }
    std::fprintf(stderr, "\n");
    if (results.empty()) throw std::runtime_error("no case could be evaluated (every reference mask is empty)");

    const AutomaticSummary s = summarizeAutomatic(results);
    std::ofstream((outDir / "summary.json").string()) << automaticSummaryJson(s, segmenter.name()) << "\n";
    std::ofstream perCase((outDir / "per_case.csv").string());
    perCase << "case,dice,iou,hd95_mm,seconds\n";
    for (const auto& r : results) {
      perCase << '"' << r.name << "\"," << r.metrics.dice << "," << r.metrics.iou << ",";
      if (std::isfinite(r.metrics.hd95Millimetres))
        perCase << r.metrics.hd95Millimetres;
      else
        perCase << "inf"; // an empty prediction: no surface to measure to
      perCase << "," << r.seconds << "\n";
    }
    char hd95[32] = "-"; // no case with a finite HD95
    if (std::isfinite(s.hd95Millimetres)) std::snprintf(hd95, sizeof hd95, "%.2f", s.hd95Millimetres);
    std::printf("%-24s %6s %7s %7s %9s %9s %8s\n", "model", "cases", "Dice", "IoU", "HD95 mm", "HD95 inf", "ms/case");
    std::printf("%-24s %6d %7.3f %7.3f %9s %9d %8.0f\n", segmenter.name().c_str(), s.cases, s.dice, s.iou, hd95, s.infiniteHd95Cases,
                1000.0 * s.secondsPerCase);
    if (s.infiniteHd95Cases > 0)
      std::printf("(HD95 is the mean of the %d cases with a non-empty prediction)\n", s.finiteHd95Cases);
    if (skipped > 0) std::printf("(%d cases skipped: empty reference mask)\n", skipped);
    return 0;
  }
};

} // namespace

std::unique_ptr<Command> makeEvaluateCommand() { return std::make_unique<EvaluateCommand>(); }

} // namespace medclick::cli
