#pragma once
// Training samples for the per-object protocol (issue 24): around every face-connected object of a
// 2D mask (a DME fluid pocket), a square crop of the image at its own resolution, twice the object's
// size and at least `minimumSide` pixels, whose target is that object alone. Seen whole at 256², a
// B-scan's pockets shrink to a few pixels; in such a crop each fills the network's input as it does
// when the zoom-in crops around it, and the other pockets in it are background, as the per-object
// evaluation counts them.

#include "image/image.h"
#include "image/label_mask.h"

#include <cstddef>
#include <vector>

namespace medclick {

struct ObjectCrop {
  int x0 = 0, y0 = 0, side = 0;   // the crop in the image's pixels
  std::vector<float> pixels;      // side*side grey intensities, row by row
  std::vector<std::uint8_t> mask; // side*side, 1 = the object
};

// image: a grey 2D image; mask: on its grid. Objects below minimumPixels are left out. A crop is
// clamped inside the image (shifted, and smaller only when the image is). Throws std::invalid_argument
// for a 3D or colour image or a mask on another grid.
std::vector<ObjectCrop> objectCrops(const Image& image, const LabelMask& mask, std::size_t minimumPixels = 10, int minimumSide = 96);

} // namespace medclick
