#pragma once
// Labeled datasets on disk, found by layout:
//   images/ + masks/           matched by file stem (a "_mask" suffix on the mask allowed)
//   BUSI                       name.png beside name_mask.png (+ name_mask_1.png ... merged by OR), in any subfolder
//   MSD / nnU-Net              imagesTr/case_0000.nii.gz + labelsTr/case.nii.gz
//   image+label pairs          NAME_image.nrrd beside NAME_label.nrrd (any image format)
// Each case also gets a group: views of one patient or exam that must stay in one split.

#include "image/image.h"
#include "image/label_mask.h"

#include <string>
#include <vector>

namespace medclick {

struct LabeledCase {
  std::string name;                    // "dataset/stem"
  std::string group;                   // "dataset/patient-or-exam"
  std::string imagePath;
  std::vector<std::string> maskPaths;  // merged by OR
};

struct LabeledDataset {
  std::string layout; // "images+masks", "busi", "msd" or "image+label pairs"
  std::vector<LabeledCase> cases;
};

// Throws ImageIOError when the folder matches no layout.
LabeledDataset scanLabeledDataset(const std::string& folder);

// The case's mask on the image's grid (refused with both geometries otherwise); label 0 means every
// non-zero label is object, N keeps only label N.
LabelMask readCaseMask(const LabeledCase& labeledCase, const ImageGeometry& imageGeometry, int label = 0);

// Which cases belong together: HC18's NNN_HC / NNN_2HC are one exam; Duke OCT's img_N are 11
// B-scans per patient in index order; BUS-BRA's bus_NNNN-l/-r/-s are views of one case.
std::string groupOf(const std::string& datasetName, const std::string& stem);

} // namespace medclick
