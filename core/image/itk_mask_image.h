#pragma once
// A 0/1 (or label) buffer on MedClick's grid as an ITK image with the grid's size and spacing, for the
// ITK filters core runs on masks (distance maps, connected components). Origin and direction stay
// ITK's defaults: these filters measure in millimetres along the axes and never need them.

#include "image/image_geometry.h"

#include <itkImage.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace medclick {

template <unsigned D, typename T>
typename itk::Image<T, D>::Pointer itkMaskImage(const std::vector<T>& voxels, const ImageGeometry& g) {
  using MaskImage = itk::Image<T, D>;
  auto image = MaskImage::New();
  typename MaskImage::SizeType size;
  typename MaskImage::SpacingType spacing;
  for (unsigned a = 0; a < D; ++a) {
    size[a] = g.size[a];
    spacing[a] = g.spacing[a];
  }
  image->SetRegions(typename MaskImage::RegionType(size));
  image->SetSpacing(spacing);
  image->Allocate();
  std::copy(voxels.begin(), voxels.end(), image->GetBufferPointer()); // ITK's buffer is i fastest, as LabelMask's
  return image;
}

} // namespace medclick
