// medclick-cli segment IMAGE --click X,Y,+ ... --out MASK: one refinement round per click, in order,
// each round's probability feeding the next, as in the GUI; the mask has the image's geometry.

#include "cli/click_argument.h"
#include "cli/command.h"
#include "cli/command_parser.h"
#include "common/engine_choice.h"

#include "io/image_reader.h"
#include "io/image_writer.h"

#include <chrono>
#include <iostream>

namespace medclick::cli {

namespace {

class SegmentCommand : public Command {
public:
  QString name() const override { return "segment"; }
  QString summary() const override { return "Segment a 2D image from clicks (IKAN or the classical engine); write the mask (and probability)."; }

  int run(const QStringList& arguments) override {
    CommandParser command(name(), summary());
    QCommandLineOption model("model", "Interactive model: ikan or classic.", "NAME", "ikan");
    QCommandLineOption weights("weights", "Weights file (safetensors). Default: the bundled weights.", "FILE");
    QCommandLineOption device("device", "auto, cpu or cuda.", "DEVICE", "auto");
    QCommandLineOption click("click", "A click X,Y,+ (object) or X,Y,- (background); 0-based column,row. Repeat, in order.", "X,Y,L");
    QCommandLineOption out("out", "Mask to write (.nii.gz, .nrrd, .mha, .png).", "MASK");
    QCommandLineOption prob("prob", "Also write the foreground probability (float NIfTI/NRRD/MHA).", "PROB");
    QCommandLineOption threshold("threshold", "Probability above which a pixel is object (default 0.5).", "T", "0.5");
    command.parser().addOptions({model, weights, device, click, out, prob, threshold});
    command.parser().addPositionalArgument("IMAGE", "A 2D image.");
    if (!command.parse(arguments, 1)) return 0;
    auto& p = command.parser();
    if (!p.isSet(out)) throw UsageError("--out MASK is required");
    if (p.values(click).isEmpty()) throw UsageError("give at least one --click");
    bool thresholdOk = false;
    const double cut = p.value(threshold).toDouble(&thresholdOk);
    if (!thresholdOk || cut <= 0.0 || cut >= 1.0) throw UsageError("--threshold must be a number in (0, 1)");

    const std::string imagePath = p.positionalArguments().front().toStdString();
    const Image image = readImage(imagePath);
    const ImageGeometry& g = image.geometry();
    if (g.dimension != 2) throw std::runtime_error(imagePath + ": segment works on 2D images; this one is 3D");
    ClickList clicks;
    for (const QString& text : p.values(click)) {
      const Click c = parseClick(text.toStdString());
      if (c.x < 0 || c.y < 0 || c.x > static_cast<double>(g.size[0] - 1) || c.y > static_cast<double>(g.size[1] - 1))
        throw UsageError("click " + text.toStdString() + " lies outside the image (" + std::to_string(g.size[0]) + "x" +
                         std::to_string(g.size[1]) + ")");
      clicks.push_back(c);
    }

    const auto engine = app::createEngineByName(p.value(model).toStdString(), p.value(weights).toStdString(), p.value(device).toStdString());
    const int width = static_cast<int>(g.size[0]), height = static_cast<int>(g.size[1]);
    engine->setImage(image.voxels().data(), width, height, static_cast<int>(image.components()));

    std::vector<float> probability;
    const auto start = std::chrono::steady_clock::now();
    for (size_t round = 0; round < clicks.size(); ++round) {
      const ClickList upToNow(clicks.begin(), clicks.begin() + static_cast<std::ptrdiff_t>(round + 1));
      probability = engine->refine(upToNow, round, probability.empty() ? nullptr : probability.data());
    }
    const double msPerClick =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / static_cast<double>(clicks.size());

    LabelMask mask(g);
    for (size_t i = 0; i < probability.size(); ++i) mask.labels()[i] = probability[i] > cut ? 1 : 0;
    writeMask(mask, p.value(out).toStdString());
    if (p.isSet(prob)) {
      Image probabilityMap(g, 1, PixelType::Float32);
      probabilityMap.voxels() = probability;
      writeProbabilityMap(probabilityMap, p.value(prob).toStdString());
    }
    const double pixelArea = g.spacing[0] * g.spacing[1];
    std::cout << engine->name() << " on " << engine->deviceName() << ": " << clicks.size() << " click(s), "
              << static_cast<long>(msPerClick + 0.5) << " ms per click; object " << mask.countNonZero() << " pixels ("
              << mask.countNonZero() * pixelArea << " mm^2); wrote " << p.value(out).toStdString() << "\n";
    return 0;
  }
};

} // namespace

std::unique_ptr<Command> makeSegmentCommand() { return std::make_unique<SegmentCommand>(); }

} // namespace medclick::cli
