// medclick-cli convert IN OUT: between any two supported formats, geometry and pixel type unchanged.
// convert LABELMAP --to dicom-seg --reference DICOMDIR OUT.dcm: a label map drawn on a DICOM series
// becomes a DICOM Segmentation object of that series' study (names and colours from its label
// description or .seg.nrrd header).

#include "cli/command.h"
#include "cli/command_parser.h"

#include "io/image_reader.h"
#include "io/dicom_seg_writer.h"
#include "io/image_writer.h"
#include "io/label_map_file.h"

#include <spdlog/spdlog.h>

namespace medclick::cli {

namespace {

class ConvertCommand : public Command {
public:
  QString name() const override { return "convert"; }
  QString summary() const override {
    return "Convert an image between formats (NIfTI, NRRD, MHA, PNG, ...); geometry unchanged. With --to dicom-seg, a label map "
           "drawn on a DICOM series becomes a DICOM SEG of that series.";
  }

  int run(const QStringList& arguments) override {
    CommandParser command(name(), summary());
    QCommandLineOption series("series", "DICOM folder with several series: the SeriesInstanceUID to read.", "UID");
    QCommandLineOption to("to", "dicom-seg: write IN, a label map, as a DICOM Segmentation object (needs --reference).", "FORMAT");
    QCommandLineOption reference("reference", "The DICOM series folder the label map was drawn on (--to dicom-seg).", "DICOMDIR");
    command.parser().addOptions({series, to, reference});
    command.parser().addPositionalArgument("IN", "Image file, or a folder holding a DICOM series.");
    command.parser().addPositionalArgument("OUT", "Output file; its extension chooses the format.");
    if (!command.parse(arguments, 2)) return 0;
    const auto positional = command.parser().positionalArguments();
    auto& p = command.parser();
    if (p.isSet(to)) {
      if (p.value(to) != "dicom-seg") throw UsageError("--to knows one format: dicom-seg");
      if (!p.isSet(reference)) throw UsageError("--to dicom-seg needs --reference DICOMDIR, the series the label map was drawn on");
      const LabelMapFile map = readLabelMap(positional[0].toStdString());
      writeDicomSeg(map.labels, map.segments, {p.value(reference).toStdString(), p.value(series).toStdString()}, positional[1].toStdString());
      spdlog::info("wrote {} ({} segments)", positional[1].toStdString(), map.segments.size());
      return 0;
    }
    if (p.isSet(reference)) throw UsageError("--reference goes with --to dicom-seg");
    ImageReadOptions options;
    options.dicomSeriesUid = command.parser().value(series).toStdString();
    const Image image = readImage(positional[0].toStdString(), options);
    writeImage(image, positional[1].toStdString());
    spdlog::debug("wrote {} ({})", positional[1].toStdString(), image.geometry().describe());
    return 0;
  }
};

} // namespace

std::unique_ptr<Command> makeConvertCommand() { return std::make_unique<ConvertCommand>(); }

} // namespace medclick::cli
