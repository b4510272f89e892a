#!/usr/bin/env bash
# Installs the Debian 12 packages MedClick needs, only those that are missing.
# Idempotent: a second run installs nothing. Needs root or sudo.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # Qt 6: Widgets, Test, Charts, LinguistTools; OpenGL widgets need the explicit extras
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-charts-dev
  libqt6opengl6-dev libxkbcommon-dev libgl-dev libvulkan-dev
  # LibTorch, with OpenBLAS so libblas.so.3 is not the reference BLAS
  libtorch-dev libopenblas0-openmp
  # Gloo's headers: c10d's ProcessGroupGloo (data-parallel training on CPUs) includes them
  libgloo-dev
  # ITK, VTK (non-Qt components only), OpenCV, spdlog
  libinsighttoolkit5-dev libvtk9-dev libopencv-dev libspdlog-dev zlib1g-dev
  # DCMTK's dcmseg writes DICOM Segmentation objects
  libdcmtk-dev
  # test tools: an independent NIfTI reader, an independent DICOM converter, a virtual display
  python3-nibabel python3-numpy dcm2niix xvfb xauth
  # independent readers of the DICOM SEG we write: pydicom, DCMTK's dcmdump, dicom3tools' dciodvfy
  python3-pydicom dcmtk dicom3tools
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${#missing[@]} missing packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
