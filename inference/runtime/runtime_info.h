#pragma once
// What the torch backend runs on: versions, CUDA, threads and the BLAS that LibTorch really loaded
// (Debian's LibTorch links libblas.so.3, which is the slow reference BLAS unless OpenBLAS provides it).
// No torch types here, so the CLI and the GUI can show it without compiling torch headers.

#include <string>

namespace medclick {

struct RuntimeInfo {
  std::string torchVersion;     // e.g. "1.13.1"
  bool cudaAvailable = false;
  int cudaDeviceCount = 0;
  int intraOpThreads = 0;
  std::string blasLibrary;      // resolved path of the loaded libblas, or "none loaded"
  std::string blasDescription;  // OpenBLAS's own configuration string, or "reference BLAS" etc.
};

RuntimeInfo queryRuntimeInfo();
std::string describeRuntime(const RuntimeInfo& info); // several lines for --version

} // namespace medclick
