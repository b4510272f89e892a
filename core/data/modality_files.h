#pragma once
// Multi-modal cases (several MRI sequences on one grid, each in its own file), as the MSD / nnU-Net
// layout stores them: NAME_0000.EXT, NAME_0001.EXT, ... are the channels of case NAME, in order.

#include "image/image.h"

#include <string>
#include <vector>

namespace medclick {

// The modality files of the case whose first channel is `path`: the path itself, then NAME_0001.EXT,
// NAME_0002.EXT, ... while they exist beside it. A path not named NAME_0000.EXT is its own only channel.
std::vector<std::string> nnunetModalityPaths(const std::string& path);

// Reads the modalities of one case. One path is read as it is; of several, each must be a grey image
// on the first one's grid. Throws ImageIOError naming the file when one cannot be
// read, is not grey, or lies on another grid than the first (both geometries in the message).
std::vector<Image> readModalities(const std::vector<std::string>& paths);

// The further modalities (furtherPaths) of a case whose first one, read from firstPath, is open
// already: each must be a grey image on first's grid (ImageIOError otherwise, as readModalities).
std::vector<Image> readFurtherModalities(const Image& first, const std::string& firstPath, const std::vector<std::string>& furtherPaths);

} // namespace medclick
