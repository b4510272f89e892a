#include "logging/logging.h"

#include <itkObject.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace medclick {

void configureLogging(bool verbose) {
  // Logs go to stderr so that stdout carries only a command's result.
  static const auto logger = [] {
    auto stderrLogger = spdlog::stderr_color_mt("medclick");
    spdlog::set_default_logger(stderrLogger);
    return stderrLogger;
  }();
  logger->set_pattern("%^%l%$: %v");
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  itk::Object::SetGlobalWarningDisplay(verbose);
}

} // namespace medclick
