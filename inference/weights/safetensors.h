#pragma once
// Weights as safetensors files (https format: 8-byte little-endian header length, a JSON header of
// {name: {dtype, shape, data_offsets}} plus "__metadata__", then the raw little-endian data), so a
// model trained with PyTorch code loads here and ours loads in PyTorch.

#include <torch/torch.h>

#include <map>
#include <stdexcept>
#include <string>

namespace medclick {

struct WeightsError : std::runtime_error {
  WeightsError(const std::string& path, const std::string& reason) : std::runtime_error(path + ": " + reason) {}
};

struct SafetensorsContent {
  std::map<std::string, torch::Tensor> tensors;     // on the CPU, contiguous
  std::map<std::string, std::string> metadata;      // "__metadata__": string to string
};

SafetensorsContent loadSafetensors(const std::string& path);
// Written to a temporary sibling and renamed into place: a crash never leaves a half file.
void saveSafetensors(const std::string& path, const std::map<std::string, torch::Tensor>& tensors,
                     const std::map<std::string, std::string>& metadata = {});

// A module's parameters and buffers (BatchNorm running statistics included) by their dotted names.
std::map<std::string, torch::Tensor> moduleState(const torch::nn::Module& module);
void saveModuleWeights(const torch::nn::Module& module, const std::string& path,
                       const std::map<std::string, std::string>& metadata = {});
// Every tensor of the module must be in the file with the same shape, and nothing else; the error
// lists what is missing, unexpected or mis-shaped. Returns the file's metadata.
std::map<std::string, std::string> loadModuleWeights(torch::nn::Module& module, const std::string& path);
// The same for a file already read (path only names it in errors).
void loadModuleWeights(torch::nn::Module& module, const SafetensorsContent& content, const std::string& path);

} // namespace medclick
