#pragma once
// Runs a MedClick program (the CLI, a weights writer) to its end for the app tests. A hang or a
// crash ends the test run at once (qFatal): both are failures no later check could explain.

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace medclick::test {

struct ProcessResult {
  int exitCode = -1;
  QString out, err;
};

// weightsDir: when given, MEDCLICK_WEIGHTS_DIR (where bundled weights are looked for).
inline ProcessResult runProcess(const QString& program, const QStringList& arguments, int timeoutMs = 300000,
                                const QString& weightsDir = {}) {
  QProcess process;
  if (!weightsDir.isEmpty()) {
    auto environment = QProcessEnvironment::systemEnvironment();
    environment.insert("MEDCLICK_WEIGHTS_DIR", weightsDir);
    process.setProcessEnvironment(environment);
  }
  process.start(program, arguments);
  if (!process.waitForFinished(timeoutMs)) qFatal("%s did not finish", qPrintable(program));
  if (process.exitStatus() != QProcess::NormalExit) qFatal("%s died by a signal", qPrintable(program));
  return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

} // namespace medclick::test
