#pragma once
// A medclick-cli subcommand: its name, one line of help, and a run() that gets the arguments after
// the subcommand name. run() returns the exit status; errors are thrown and reported by main().

#include <QStringList>

#include <memory>
#include <vector>

namespace medclick::cli {

class Command {
public:
  virtual ~Command() = default;
  virtual QString name() const = 0;
  virtual QString summary() const = 0;
  virtual int run(const QStringList& arguments) = 0; // arguments[0] is "medclick-cli NAME"
};

std::vector<std::unique_ptr<Command>> allCommands();

// Thrown for wrong usage (exit 1, message plus a hint to --help).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

} // namespace medclick::cli
