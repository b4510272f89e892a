#!/usr/bin/env bash
# Installs what is missing, builds MedClick and runs it on the bundled samples: until the desktop
# application lands, the command-line inspection and conversion of a 2D ultrasound and a 3D MRI lesion.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)" --target medclick-cli

cli=build/bin/medclick-cli
out=build/sample-output
mkdir -p "$out"
"$cli" --version
echo
"$cli" info resources/samples/hc18_001_HC.png
echo
"$cli" info resources/samples/breast1_image.nrrd
"$cli" convert resources/samples/breast1_image.nrrd "$out/breast1_image.nii.gz"
"$cli" convert resources/samples/breast1_label.nrrd "$out/breast1_label.nii.gz"
echo
echo "Wrote $out/breast1_image.nii.gz and its label, on the same grid as the NRRD originals:"
"$cli" info "$out/breast1_image.nii.gz"
