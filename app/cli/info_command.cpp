// medclick-cli info FILE: what MedClick read, geometry first, so a user can check it against the
// scanner's or another tool's view of the same file.

#include "cli/command.h"
#include "cli/command_parser.h"

#include "io/image_reader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <iomanip>
#include <iostream>
#include <sstream>

namespace medclick::cli {

namespace {

QJsonArray toJson(const double* values, unsigned count) {
  QJsonArray array;
  for (unsigned i = 0; i < count; ++i) array.append(values[i]);
  return array;
}

std::string joined(const double* values, unsigned count) {
  std::ostringstream out;
  out << std::setprecision(7); // NIfTI stores float32: more digits would show its rounding
  for (unsigned i = 0; i < count; ++i) out << (i ? " " : "") << values[i];
  return out.str();
}

class InfoCommand : public Command {
public:
  QString name() const override { return "info"; }
  QString summary() const override { return "Print an image's dimension, size, spacing, origin, direction, pixel type and intensities."; }

  int run(const QStringList& arguments) override {
    CommandParser command(name(), summary());
    QCommandLineOption json("json", "Print the information as one JSON object.");
    QCommandLineOption series("series", "DICOM folder with several series: the SeriesInstanceUID to read.", "UID");
    command.parser().addOptions({json, series});
    command.parser().addPositionalArgument("FILE", "Image file, or a folder holding a DICOM series.");
    if (!command.parse(arguments, 1)) return 0;

    const std::string path = command.parser().positionalArguments().front().toStdString();
    ImageReadOptions options;
    options.dicomSeriesUid = command.parser().value(series).toStdString();
    const Image image = readImage(path, options);
    const ImageGeometry& g = image.geometry();
    const auto stats = image.statistics();
    const unsigned d = g.dimension;
    std::array<double, 3> size{};
    for (unsigned a = 0; a < 3; ++a) size[a] = static_cast<double>(g.size[a]);
    std::vector<double> direction;
    for (unsigned r = 0; r < d; ++r)
      for (unsigned c = 0; c < d; ++c) direction.push_back(g.direction[r * 3 + c]);

    if (command.parser().isSet(json)) {
      QJsonObject object{
          {"file", QString::fromStdString(path)},
          {"dimension", static_cast<int>(d)},
          {"size", toJson(size.data(), d)},
          {"spacing", toJson(g.spacing.data(), d)},
          {"origin", toJson(g.origin.data(), d)},
          {"direction", toJson(direction.data(), d * d)},
          {"pixel_type", QString::fromStdString(pixelTypeName(image.storedType()))},
          {"components", static_cast<int>(image.components())},
          {"minimum", stats.minimum},
          {"maximum", stats.maximum},
          {"mean", stats.mean},
          {"non_finite_voxels", static_cast<double>(image.nonFiniteCount())},
      };
      std::cout << QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString() << "\n";
      return 0;
    }
    std::cout << "file:       " << path << "\n"
              << "dimension:  " << d << "\n"
              << "size:       " << joined(size.data(), d) << "\n"
              << "spacing:    " << joined(g.spacing.data(), d) << "\n"
              << "origin:     " << joined(g.origin.data(), d) << "\n"
              << "direction:  " << joined(direction.data(), d) << "\n";
    for (unsigned r = 1; r < d; ++r) std::cout << "            " << joined(direction.data() + r * d, d) << "\n";
    std::cout << "pixel type: " << pixelTypeName(image.storedType())
              << (image.isRgb() ? " RGB" : "") << "\n"
              << std::setprecision(8) << "min/max:    " << stats.minimum << " " << stats.maximum << "\n"
              << "mean:       " << stats.mean << "\n";
    if (image.nonFiniteCount() > 0)
      std::cout << "non-finite: " << image.nonFiniteCount() << " NaN/Inf voxels (read as the minimum)\n";
    return 0;
  }
};

} // namespace

std::unique_ptr<Command> makeInfoCommand() { return std::make_unique<InfoCommand>(); }

} // namespace medclick::cli
