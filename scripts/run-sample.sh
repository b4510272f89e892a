#!/usr/bin/env bash
# Installs what is missing, builds MedClick and starts it on a bundled sample with the bundled IKAN
# weights: the desktop application when there is a display; without one (ssh, CI) the command-line
# tour of the samples and a screenshot of the application run on a virtual display (xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)" --target medclick medclick-cli

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${CI:-}" ]; then
  echo "Starting MedClick on resources/samples/hc18_001_HC.png: left click = object, right click = background."
  exec build/bin/medclick resources/samples/hc18_001_HC.png
fi

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
echo
echo "No display: the desktop application on a virtual display, one click in the fetal head:"
xvfb-run -a -s "-screen 0 1280x900x24" build/bin/medclick resources/samples/hc18_001_HC.png --click 403,222 \
  --screenshot "$out/medclick-window.png"
echo "Look at $out/medclick-window.png; on a machine with a display this script opens the window itself."
