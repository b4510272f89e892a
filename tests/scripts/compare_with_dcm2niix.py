#!/usr/bin/python3
"""Holds MedClick's NIfTI of a DICOM series against dcm2niix's conversion of the same series.

usage: compare_with_dcm2niix.py MEDCLICK_NIFTI DCM2NIIX_NIFTI
Both are brought to the closest canonical (RAS) orientation with nibabel; their affines must agree
within 1e-3 mm and their voxels exactly. Exit 0 if they do.
"""
import sys

import nibabel
import numpy


def main(argv):
    ours = nibabel.as_closest_canonical(nibabel.load(argv[1]))
    theirs = nibabel.as_closest_canonical(nibabel.load(argv[2]))
    if ours.shape != theirs.shape:
        print(f"shapes differ: MedClick {ours.shape}, dcm2niix {theirs.shape}")
        return 1
    affine_difference = numpy.abs(ours.affine - theirs.affine).max()
    voxel_difference = numpy.abs(ours.get_fdata() - theirs.get_fdata()).max()
    print(f"MedClick affine:\n{ours.affine}\ndcm2niix affine:\n{theirs.affine}")
    print(f"largest affine difference {affine_difference:.3g} mm, largest voxel difference {voxel_difference}")
    return 0 if affine_difference <= 1e-3 and voxel_difference == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
