#pragma once
// Small text files of the project's own formats (session files, label descriptions): read whole
// with a size bound, so a hostile or mistaken file (a volume picked by mistake) is refused rather
// than loaded, and written atomically (a temporary beside the target, renamed into place), so a
// crash never leaves half a file where the user's was.

#include <cstdint>
#include <string>

namespace medclick {

// Throws ImageIOError: "cannot be opened (missing or not readable)", or "not a KIND: larger than
// N MiB or unreadable".
std::string readTextFile(const std::string& path, std::uintmax_t maxBytes, const std::string& kind);
void writeTextAtomically(const std::string& path, const std::string& text);

} // namespace medclick
