// medclick-cli: MedClick without a window. Exit status 0 on success, 1 on bad input or usage, with
// one line on stderr; never a signal.

#include "cli/command.h"

#include "logging/logging.h"
#include "runtime/runtime_info.h"

#include <QCoreApplication>

#include <itkVersion.h>
#include <opencv2/core/version.hpp>

#include <iostream>

namespace medclick::cli {
std::unique_ptr<Command> makeInfoCommand();
std::unique_ptr<Command> makeConvertCommand();
std::unique_ptr<Command> makeSegmentCommand();
std::unique_ptr<Command> makeBenchCommand();
std::unique_ptr<Command> makeTrainCommand();
std::unique_ptr<Command> makeEvaluateCommand();

std::vector<std::unique_ptr<Command>> allCommands() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(makeInfoCommand());
  commands.push_back(makeConvertCommand());
  commands.push_back(makeSegmentCommand());
  commands.push_back(makeBenchCommand());
  commands.push_back(makeEvaluateCommand());
  commands.push_back(makeTrainCommand());
  return commands;
}
} // namespace medclick::cli

namespace {

void printUsage(std::ostream& out) {
  out << "Usage: medclick-cli [--version] [--help] COMMAND [options] ARGS\n\nCommands:\n";
  for (const auto& command : medclick::cli::allCommands())
    out << "  " << command->name().leftJustified(10).toStdString() << command->summary().toStdString() << "\n";
  out << "\n'medclick-cli COMMAND --help' describes a command.\n";
}

void printVersion() {
  std::cout << "medclick-cli " << MEDCLICK_VERSION << "\n"
            << medclick::describeRuntime(medclick::queryRuntimeInfo()) << "\n"
            << "Qt " << qVersion() << ", ITK " << itk::Version::GetITKVersion() << ", OpenCV " << CV_VERSION << "\n";
}

} // namespace

int main(int argc, char** argv) {
  QCoreApplication application(argc, argv);
  QCoreApplication::setApplicationName("medclick-cli");
  QCoreApplication::setApplicationVersion(MEDCLICK_VERSION);
  medclick::configureLogging(false);

  const QStringList arguments = QCoreApplication::arguments();
  if (arguments.size() < 2) {
    printUsage(std::cerr);
    return 1;
  }
  const QString first = arguments[1];
  if (first == "--help" || first == "-h") {
    printUsage(std::cout);
    return 0;
  }
  if (first == "--version") {
    printVersion();
    return 0;
  }
  for (auto& command : medclick::cli::allCommands()) {
    if (command->name() != first) continue;
    QStringList rest = arguments.mid(2);
    rest.prepend("medclick-cli");
    try {
      return command->run(rest);
    } catch (const medclick::cli::UsageError& e) {
      std::cerr << "medclick-cli " << first.toStdString() << ": " << e.what() << " (see --help)\n";
    } catch (const std::exception& e) { // ImageIOError, WeightsError, ...: "FILE: REASON"
      std::cerr << "medclick-cli " << first.toStdString() << ": error: " << e.what() << "\n";
    }
    return 1;
  }
  std::cerr << "medclick-cli: unknown command '" << first.toStdString() << "'\n";
  printUsage(std::cerr);
  return 1;
}
