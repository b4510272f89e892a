#pragma once
// DICOM file structure check (PS3.10 7.1, PS3.5 7): the preamble and "DICM", the file meta group,
// then every data element of the data set, nested sequences and items included, walked with its
// transfer syntax's byte order and VR rules, each length inside the file; native pixel data must
// hold rows x columns x samples x frames. GDCM asserts (aborting the process) on a file cut inside
// its meta group, and fills a slice cut inside its pixels with whatever follows: both refused here.

#include <string>

namespace medclick::detail {

bool hasDicomMagic(const std::string& path);
void checkDicomStructure(const std::string& path);

} // namespace medclick::detail
