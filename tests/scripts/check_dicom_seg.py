#!/usr/bin/env python3
"""Reads a DICOM SEG with pydicom, an independent reader, beside the series it references, and prints
what the test compares as JSON: the segments, and for every frame its segment, its position, the
position of the source slice it references, and how many pixels it sets."""
import glob
import json
import os
import sys

import pydicom


def main(seg_path, series_folder):
    seg = pydicom.dcmread(seg_path)
    sources = {}
    for path in glob.glob(os.path.join(series_folder, "*")):
        try:
            ds = pydicom.dcmread(path, stop_before_pixels=True)
        except Exception:  # notes beside a series are not slices
            continue
        sources[ds.SOPInstanceUID] = ds
    shared = seg.SharedFunctionalGroupsSequence[0]
    orientation = [float(v) for v in shared.PlaneOrientationSequence[0].ImageOrientationPatient]
    spacing = [float(v) for v in shared.PixelMeasuresSequence[0].PixelSpacing]
    pixels = seg.pixel_array.reshape(int(seg.NumberOfFrames), seg.Rows, seg.Columns)
    frames = []
    for index, frame in enumerate(seg.PerFrameFunctionalGroupsSequence):
        source_uid = frame.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
        source = sources[source_uid]
        frames.append({
            "segment": int(frame.SegmentIdentificationSequence[0].ReferencedSegmentNumber),
            "position": [float(v) for v in frame.PlanePositionSequence[0].ImagePositionPatient],
            "sourcePosition": [float(v) for v in source.ImagePositionPatient],
            "sourceOrientation": [float(v) for v in source.ImageOrientationPatient],
            "sourceSpacing": [float(v) for v in source.PixelSpacing],
            "pixels": int(pixels[index].sum()),
        })
    referenced = sum(len(s.ReferencedInstanceSequence) for s in seg.ReferencedSeriesSequence)
    any_source = next(iter(sources.values()))
    print(json.dumps({
        "sopClass": seg.SOPClassUID,
        "modality": seg.Modality,
        "segmentationType": seg.SegmentationType,
        "sameStudy": seg.StudyInstanceUID == any_source.StudyInstanceUID,
        "sameFrameOfReference": seg.FrameOfReferenceUID == any_source.FrameOfReferenceUID,
        "samePatient": str(seg.PatientID) == str(any_source.PatientID),
        "newSeries": seg.SeriesInstanceUID != any_source.SeriesInstanceUID,
        "referencedInstances": referenced,
        "orientation": orientation,
        "spacing": spacing,
        "segments": [{"number": int(s.SegmentNumber), "label": str(s.SegmentLabel),
                      "cielab": [int(v) for v in s.RecommendedDisplayCIELabValue]} for s in seg.SegmentSequence],
        "frames": frames,
    }))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
