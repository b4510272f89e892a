#pragma once
// Private to core/io: PNG, JPEG and BMP pictures, read through their structure check and then decoded
// by OpenCV from the bytes that were checked. OpenCV's decoders catch libpng's and libjpeg's errors
// (setjmp) and report them; ITK's PNG and JPEG readers let some of them abort the process.

#include "image/image.h"
#include "io/checks/file_format.h"

#include <string>

namespace medclick::detail {

// format: Png, Jpeg or Bmp. ImageIOError on any structural or decoding problem.
Image readPicture(const std::string& path, FileFormat format);

} // namespace medclick::detail
