#!/usr/bin/python3
"""Reads a NIfTI file with nibabel (an independent reader) and checks its affine and shape.

usage: check_nifti_affine.py FILE TOLERANCE NX NY NZ A00 A01 ... A33
The expected affine is in nibabel's RAS convention. Exit 0 if it matches, 1 otherwise.
"""
import sys

import nibabel
import numpy


def main(argv):
    path, tolerance = argv[1], float(argv[2])
    shape = tuple(int(v) for v in argv[3:6])
    expected = numpy.array([float(v) for v in argv[6:22]]).reshape(4, 4)
    image = nibabel.load(path)
    actual_shape = image.shape + (1,) * (3 - len(image.shape))
    if actual_shape[:3] != shape:
        print(f"shape {image.shape} differs from the expected {shape}")
        return 1
    difference = numpy.abs(image.affine - expected).max()
    print(f"nibabel affine:\n{image.affine}\nlargest difference {difference:.3g}")
    return 0 if difference <= tolerance else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
