#include "cli/command_parser.h"

#include "cli/command.h"
#include "logging/logging.h"

#include <iostream>

namespace medclick::cli {

CommandParser::CommandParser(const QString& commandName, const QString& description) : name_(commandName) {
  parser_.setApplicationDescription(description);
  parser_.addHelpOption();
  parser_.addOption(verbose_);
}

bool CommandParser::parse(const QStringList& arguments, int positionalCount) {
  if (!parser_.parse(arguments)) throw UsageError(parser_.errorText().toStdString());
  if (parser_.isSet("help")) {
    std::cout << parser_.helpText().replace("medclick-cli", "medclick-cli " + name_).toStdString();
    return false;
  }
  const auto positional = parser_.positionalArguments();
  if (positional.size() != positionalCount)
    throw UsageError(name_.toStdString() + " expects " + std::to_string(positionalCount) + " argument(s), got " +
                     std::to_string(positional.size()));
  configureLogging(verbose());
  return true;
}

} // namespace medclick::cli
