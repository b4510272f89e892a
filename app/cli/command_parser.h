#pragma once
// QCommandLineParser with the options every subcommand shares (--help, --verbose) and strict errors.

#include <QCommandLineParser>

namespace medclick::cli {

class CommandParser {
public:
  CommandParser(const QString& commandName, const QString& description);
  QCommandLineParser& parser() { return parser_; }
  // Parses; prints help and returns false for --help; throws UsageError on bad usage or a wrong
  // number of positional arguments.
  bool parse(const QStringList& arguments, int positionalCount);
  bool verbose() const { return parser_.isSet(verbose_); }

private:
  QString name_;
  QCommandLineParser parser_;
  QCommandLineOption verbose_{"verbose", "Debug logging (spdlog) and ITK's own warnings."};
};

} // namespace medclick::cli
