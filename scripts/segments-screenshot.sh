#!/usr/bin/env bash
# Makes resources/screenshots/segments.png, the README's picture of the segment list: the bundled
# breast MRI with two segments (its reference lesion, locked, and a 2 mm in-plane margin around it),
# opened as a session in the desktop application under Xvfb. Needs a build in build/ and Debian's
# python3-nibabel (scripts/install-deps.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/build/bin/medclick-cli" convert "$root/resources/samples/breast1_label.nrrd" "$work/label.nii.gz"
/usr/bin/python3 - "$work" "$root" <<'PY'
import json, sys
import nibabel as nib, numpy as np
work, root = sys.argv[1], sys.argv[2]
image = nib.load(f"{work}/label.nii.gz")
lesion = np.asarray(image.dataobj) > 0
ring = lesion.copy()
for _ in range(3):  # three in-plane dilations of 0.66 mm voxels
    grown = ring.copy()
    grown[1:] |= ring[:-1]; grown[:-1] |= ring[1:]; grown[:, 1:] |= ring[:, :-1]; grown[:, :-1] |= ring[:, 1:]
    ring = grown
labels = np.zeros(lesion.shape, np.uint8)
labels[ring & ~lesion] = 2
labels[lesion] = 1
nib.save(nib.Nifti1Image(labels, image.affine, image.header), f"{work}/demo.mask.nii.gz")
segment = lambda label, name, colour, opacity, locked: {"label": label, "name": name, "colour": colour, "opacity": opacity,
    "visible": True, "meshVisible": True, "locked": locked, "clicks": [], "volumeClicks": []}
json.dump({"format": "medclick-session", "version": 2, "image": f"{root}/resources/samples/breast1_image.nrrd",
           "model": "ikan", "mask": "demo.mask.nii.gz", "activeSegment": 2,
           "segments": [segment(1, "Lesion", [255, 60, 40], 1.0, True), segment(2, "Margin 2 mm", [60, 200, 255], 0.6, False)]},
          open(f"{work}/demo.medclick", "w"), indent=1)
PY
QT_QPA_PLATFORM=xcb QT_XCB_GL_INTEGRATION=xcb_glx xvfb-run -a -s "-screen 0 1400x900x24" \
  "$root/build/bin/medclick" "$work/demo.medclick" --screenshot "$root/resources/screenshots/segments.png"
