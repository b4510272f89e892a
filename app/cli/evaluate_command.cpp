// medclick-cli evaluate: the click-simulation protocol (NoC) on labeled 2D data, for any engine.
//   evaluate --model ikan|classic [--weights W] --data DIR ... [--split split.txt] [--max-clicks 20]
//            [--limit N] [--seed S] --out DIR
//   evaluate --compare A/summary.json B/summary.json ... --out plot.png

#include "cli/command.h"
#include "cli/command_parser.h"
#include "common/engine_choice.h"

#include "data/labeled_dataset.h"
#include "eval/interactive_evaluation.h"
#include "eval/iou_curve_plot.h"
#include "io/image_reader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
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

IouCurve curveFromSummary(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) throw std::runtime_error(path.toStdString() + ": cannot read");
  const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
  if (!o.contains("miou_per_click")) throw std::runtime_error(path.toStdString() + ": not an evaluation summary.json");
  IouCurve curve;
  // The run's folder names what was evaluated (e.g. "ikan-busi"); the summary names the engine.
  const std::string run = std::filesystem::path(path.toStdString()).parent_path().filename().string();
  curve.label = (run.empty() ? "" : run + ": ") + o["model"].toString().toStdString() + ", " + std::to_string(o["cases"].toInt()) + " cases";
  for (const auto v : o["miou_per_click"].toArray()) curve.meanIouPerClick.push_back(v.toDouble());
  return curve;
}

class EvaluateCommand : public Command {
public:
  QString name() const override { return "evaluate"; }
  QString summary() const override { return "Measure NoC@80/85/90 and IoU per click with simulated clicks on labeled data."; }

  int run(const QStringList& arguments) override {
    CommandParser command(name(), summary());
    QCommandLineOption model("model", "ikan or classic.", "NAME", "ikan");
    QCommandLineOption weights("weights", "IKAN weights (default: the bundled ones).", "FILE");
    QCommandLineOption data("data", "Labeled folder (images/+masks/, BUSI or MSD layout). Repeat for several.", "DIR");
    QCommandLineOption split("split", "Only the cases a training run's split.txt lists as validation.", "FILE");
    QCommandLineOption maxClicks("max-clicks", "Clicks per case (default 20).", "N", "20");
    QCommandLineOption limit("limit", "At most N cases, drawn with --seed (default all).", "N", "0");
    QCommandLineOption seed("seed", "Seed for --limit's draw.", "S", "0");
    QCommandLineOption device("device", "auto, cpu or cuda.", "DEVICE", "auto");
    QCommandLineOption label("label", "Object = this label value of multi-label masks (default: every label > 0).", "N", "0");
    QCommandLineOption compare("compare", "Plot several summary.json files into --out PNG instead.", "JSON");
    QCommandLineOption out("out", "Output folder (or PNG with --compare).", "PATH");
    command.parser().addOptions({model, weights, data, split, maxClicks, limit, seed, device, label, compare, out});
    if (!command.parse(arguments, 0)) return 0;
    auto& p = command.parser();
    if (!p.isSet(out)) throw UsageError("--out is required");
    if (p.isSet(compare)) {
      std::vector<IouCurve> curves;
      for (const auto& path : p.values(compare)) curves.push_back(curveFromSummary(path));
      writeIouCurvePlot(curves, p.value(out).toStdString());
      return 0;
    }
    if (!p.isSet(data)) throw UsageError("give --data DIR");
    const int clicks = p.value(maxClicks).toInt();
    if (clicks < 1 || clicks > 100) throw UsageError("--max-clicks must be 1..100");

    const auto engine = app::createEngineByName(p.value(model).toStdString(), p.value(weights).toStdString(), p.value(device).toStdString());

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
    std::vector<CaseResult> results;
    int skipped = 0;
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
      results.push_back(evaluateCase(*engine, image, mask, cases[i].name, clicks));
      std::fprintf(stderr, "\r[%zu/%zu] %s: IoU@1 %.3f, NoC@85 %d   ", i + 1, cases.size(), cases[i].name.c_str(),
                   results.back().iouPerClick.front(), numberOfClicks(results.back().iouPerClick, 0.85));
    }
    std::fprintf(stderr, "\n");
    if (results.empty()) throw std::runtime_error("no case could be evaluated (empty masks or 3D images only)");

    const EvaluationSummary s = summarize(results, clicks);
    std::ofstream((outDir / "summary.json").string()) << summaryJson(s, engine->name()) << "\n";
    std::ofstream perCase((outDir / "per_case.csv").string());
    perCase << "case,noc80,noc85,noc90,seconds";
    for (int k = 1; k <= clicks; ++k) perCase << ",iou" << k;
    perCase << "\n";
    for (const auto& r : results) {
      perCase << '"' << r.name << "\"," << numberOfClicks(r.iouPerClick, 0.80) << "," << numberOfClicks(r.iouPerClick, 0.85) << ","
              << numberOfClicks(r.iouPerClick, 0.90) << "," << r.seconds;
      for (const double iou : r.iouPerClick) perCase << "," << iou;
      perCase << "\n";
    }
    writeIouCurvePlot({{engine->name(), s.meanIouPerClick}}, (outDir / "iou_vs_clicks.png").string());

    const auto at = [&](int k) { return k <= clicks ? s.meanIouPerClick[static_cast<size_t>(k - 1)] : s.meanIouPerClick.back(); };
    std::printf("%-24s %6s %6s %6s %8s %8s %8s %6s %8s %9s\n", "model", "NoC@80", "NoC@85", "NoC@90", "mIoU@1", "mIoU@5", "mIoU@10",
                "cases", ">20@90", "ms/click");
    std::printf("%-24s %6.2f %6.2f %6.2f %8.3f %8.3f %8.3f %6d %8d %9.1f\n", engine->name().c_str(), s.noc80, s.noc85, s.noc90, at(1), at(5),
                at(10), s.cases, s.neverReach90, s.msPerClick);
    if (skipped > 0) std::printf("(%d cases skipped: empty mask or 3D)\n", skipped);
    return 0;
  }
};

} // namespace

std::unique_ptr<Command> makeEvaluateCommand() { return std::make_unique<EvaluateCommand>(); }

} // namespace medclick::cli
