#include "runtime/runtime_info.h"

#include <torch/torch.h>

#include <dlfcn.h>
#include <link.h>

#include <filesystem>
#include <sstream>
#include <vector>

namespace medclick {

namespace {

int collectLoadedLibrary(dl_phdr_info* info, size_t, void* data) {
  if (info->dlpi_name && *info->dlpi_name) static_cast<std::vector<std::string>*>(data)->push_back(info->dlpi_name);
  return 0;
}

std::string loadedBlasLibrary() {
  std::vector<std::string> libraries;
  dl_iterate_phdr(collectLoadedLibrary, &libraries);
  for (const auto& path : libraries) {
    const std::string name = std::filesystem::path(path).filename().string();
    if (name.rfind("libblas.so", 0) == 0 || name.rfind("libopenblas", 0) == 0 || name.rfind("libmkl_rt", 0) == 0) {
      std::error_code ec;
      const auto resolved = std::filesystem::canonical(path, ec);
      return ec ? path : resolved.string();
    }
  }
  return "none loaded";
}

std::string blasDescriptionFor(const std::string& library) {
  using ConfigFunction = char* (*)();
  if (auto config = reinterpret_cast<ConfigFunction>(dlsym(RTLD_DEFAULT, "openblas_get_config")))
    return config(); // begins with "OpenBLAS <version>"
  if (library.find("/blas/") != std::string::npos || library.find("libblas.so") != std::string::npos)
    return "reference BLAS (slow: install libopenblas0-openmp)";
  return library == "none loaded" ? "no BLAS library loaded" : "unknown BLAS";
}

} // namespace

RuntimeInfo queryRuntimeInfo() {
  RuntimeInfo info;
  info.torchVersion = TORCH_VERSION;
  info.cudaAvailable = torch::cuda::is_available();
  info.cudaDeviceCount = info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
  info.intraOpThreads = torch::get_num_threads();
  info.blasLibrary = loadedBlasLibrary();
  info.blasDescription = blasDescriptionFor(info.blasLibrary);
  return info;
}

std::string describeRuntime(const RuntimeInfo& info) {
  std::ostringstream out;
  out << "LibTorch " << info.torchVersion << ", device: "
      << (info.cudaAvailable ? "CUDA (" + std::to_string(info.cudaDeviceCount) + " GPU)" : std::string("CPU"))
      << ", " << info.intraOpThreads << " threads\n"
      << "BLAS: " << info.blasDescription << " [" << info.blasLibrary << "]";
  return out.str();
}

} // namespace medclick
