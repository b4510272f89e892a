#pragma once
// One place that decides how chatty MedClick is: spdlog's level, and whether ITK's own warnings
// (printed straight to stderr by ITK) are shown. They are only with --verbose.

namespace medclick {

void configureLogging(bool verbose);

} // namespace medclick
