#!/usr/bin/env bash
# Installs what is missing, builds MedClick (full and LibTorch-only configurations) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
jobs=$(nproc)
export QT_QPA_PLATFORM=offscreen

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$jobs"

# The LibTorch-only configuration is what a CUDA machine with nothing but LibTorch builds: keep it building.
cmake -S . -B build-torch-only -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEDCLICK_TORCH_ONLY=ON
cmake --build build-torch-only -j "$jobs"

ctest --test-dir build-torch-only --output-on-failure
# One test at a time: each LibTorch test already uses every core, and two of them on two cores
# wait on each other's OpenMP threads (a tiny training run went from seconds to minutes that way).
ctest --test-dir build --output-on-failure
