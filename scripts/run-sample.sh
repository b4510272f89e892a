#!/usr/bin/env bash
# Installs what is missing, builds MedClick and runs it on the bundled samples: until the desktop
# application lands, the command-line inspection, conversion and click segmentation (IKAN with the
# bundled weights) of the bundled samples.
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
echo
echo "IKAN, one positive click in the fetal head (bundled weights, resources/models/ikan.safetensors):"
"$cli" segment resources/samples/hc18_001_HC.png --click 403,222,+ --out "$out/hc18_001_HC_ikan_mask.png" --prob "$out/hc18_001_HC_ikan_prob.nii.gz"
echo "Compare $out/hc18_001_HC_ikan_mask.png with the expert's resources/samples/hc18_001_HC_mask.png."
