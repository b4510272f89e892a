// medclick-cli convert IN OUT: between any two supported formats, geometry and pixel type unchanged.

#include "cli/command.h"
#include "cli/command_parser.h"

#include "io/image_reader.h"
#include "io/image_writer.h"

#include <spdlog/spdlog.h>

namespace medclick::cli {

namespace {

class ConvertCommand : public Command {
public:
  QString name() const override { return "convert"; }
  QString summary() const override { return "Convert an image between formats (NIfTI, NRRD, MHA, PNG, ...); geometry unchanged."; }

  int run(const QStringList& arguments) override {
    CommandParser command(name(), summary());
    QCommandLineOption series("series", "DICOM folder with several series: the SeriesInstanceUID to read.", "UID");
    command.parser().addOption(series);
    command.parser().addPositionalArgument("IN", "Image file, or a folder holding a DICOM series.");
    command.parser().addPositionalArgument("OUT", "Output file; its extension chooses the format.");
    if (!command.parse(arguments, 2)) return 0;
    const auto positional = command.parser().positionalArguments();
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
