#include "weights/safetensors.h"

#include "json/json_value.h"
#include "weights/safetensors_header.h"

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace medclick {

namespace fs = std::filesystem;

namespace {

struct DtypeEntry {
  const char* name;
  torch::ScalarType type;
};

const DtypeEntry kDtypes[] = {
    {"F64", torch::kFloat64}, {"F32", torch::kFloat32}, {"F16", torch::kFloat16}, {"BF16", torch::kBFloat16},
    {"I64", torch::kInt64},   {"I32", torch::kInt32},   {"I16", torch::kInt16},   {"I8", torch::kInt8},
    {"U8", torch::kUInt8},    {"BOOL", torch::kBool},
};

torch::ScalarType scalarTypeOf(const std::string& path, const std::string& dtype) {
  for (const auto& entry : kDtypes)
    if (dtype == entry.name) return entry.type;
  throw WeightsError(path, "unsupported dtype \"" + dtype + "\"");
}

const char* dtypeNameOf(torch::ScalarType type) {
  for (const auto& entry : kDtypes)
    if (type == entry.type) return entry.name;
  throw std::invalid_argument(std::string("safetensors cannot store tensors of type ") + c10::toString(type));
}

std::string shapeText(const at::IntArrayRef shape) {
  std::ostringstream out;
  out << "[";
  for (std::size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  return out.str() + "]";
}

const json::Value& member(const std::string& path, const std::string& tensor, const json::Value& entry, const char* key) {
  const auto it = entry.object.find(key);
  if (it == entry.object.end()) throw WeightsError(path, "tensor \"" + tensor + "\" has no \"" + key + "\"");
  return it->second;
}

} // namespace

SafetensorsContent loadSafetensors(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw WeightsError(path, "cannot open the weights file");
  std::error_code ec;
  const std::uint64_t fileBytes = fs::file_size(path, ec);
  if (ec) throw WeightsError(path, "cannot read the file's size");
  SafetensorsHeader parsed;
  try {
    parsed = readSafetensorsHeader(in, fileBytes);
  } catch (const SafetensorsFormatError& e) {
    throw WeightsError(path, e.what());
  }
  const json::Value& header = parsed.header;
  const std::uint64_t headerBytes = parsed.headerBytes;
  const std::uint64_t dataBytes = fileBytes - 8 - headerBytes;
  SafetensorsContent content;
  std::vector<char> data(dataBytes);
  in.read(data.data(), static_cast<std::streamsize>(dataBytes));
  if (!in) throw WeightsError(path, "truncated: could not read the tensor data");

  for (const auto& [name, entry] : header.object) {
    if (name == "__metadata__") {
      if (entry.kind != json::Value::Kind::Object) throw WeightsError(path, "\"__metadata__\" is not an object");
      for (const auto& [key, value] : entry.object) {
        if (value.kind != json::Value::Kind::String) throw WeightsError(path, "metadata \"" + key + "\" is not a string");
        content.metadata[key] = value.string;
      }
      continue;
    }
    if (entry.kind != json::Value::Kind::Object) throw WeightsError(path, "tensor \"" + name + "\" is not described by an object");
    const auto& dtype = member(path, name, entry, "dtype");
    const auto& shape = member(path, name, entry, "shape");
    const auto& offsets = member(path, name, entry, "data_offsets");
    if (dtype.kind != json::Value::Kind::String || shape.kind != json::Value::Kind::Array ||
        offsets.kind != json::Value::Kind::Array || offsets.array.size() != 2)
      throw WeightsError(path, "tensor \"" + name + "\" has a malformed description");
    const torch::ScalarType type = scalarTypeOf(path, dtype.string);

    std::vector<std::int64_t> sizes;
    std::uint64_t elements = 1;
    for (const auto& extent : shape.array) {
      if (!extent.numberIsInteger || extent.integer < 0) throw WeightsError(path, "tensor \"" + name + "\" has a bad shape");
      sizes.push_back(extent.integer);
      elements *= static_cast<std::uint64_t>(extent.integer);
      if (elements > dataBytes) throw WeightsError(path, "tensor \"" + name + "\" is larger than the file");
    }
    const auto& begin = offsets.array[0];
    const auto& end = offsets.array[1];
    if (!begin.numberIsInteger || !end.numberIsInteger || begin.integer < 0 || end.integer < begin.integer ||
        static_cast<std::uint64_t>(end.integer) > dataBytes)
      throw WeightsError(path, "tensor \"" + name + "\" has data offsets outside the file (truncated?)");
    const std::uint64_t expected = elements * c10::elementSize(type);
    if (static_cast<std::uint64_t>(end.integer - begin.integer) != expected)
      throw WeightsError(path, "tensor \"" + name + "\" spans " + std::to_string(end.integer - begin.integer) +
                                   " bytes but its shape and dtype need " + std::to_string(expected));
    torch::Tensor tensor = torch::empty(sizes, torch::TensorOptions().dtype(type));
    std::memcpy(tensor.data_ptr(), data.data() + begin.integer, expected);
    content.tensors.emplace(name, std::move(tensor));
  }
  return content;
}

void saveSafetensors(const std::string& path, const std::map<std::string, torch::Tensor>& tensors,
                     const std::map<std::string, std::string>& metadata) {
  std::ostringstream header;
  header << "{";
  bool first = true;
  if (!metadata.empty()) {
    header << json::quote("__metadata__") << ":{";
    bool firstKey = true;
    for (const auto& [key, value] : metadata) {
      header << (firstKey ? "" : ",") << json::quote(key) << ":" << json::quote(value);
      firstKey = false;
    }
    header << "}";
    first = false;
  }
  std::vector<torch::Tensor> contiguous;
  std::uint64_t offset = 0;
  for (const auto& [name, tensor] : tensors) {
    if (name == "__metadata__") throw std::invalid_argument("\"__metadata__\" is reserved in safetensors");
    torch::Tensor cpu = tensor.detach().to(torch::kCPU).contiguous();
    const std::uint64_t bytes = static_cast<std::uint64_t>(cpu.numel()) * cpu.element_size();
    header << (first ? "" : ",") << json::quote(name) << ":{\"dtype\":\"" << dtypeNameOf(cpu.scalar_type())
           << "\",\"shape\":" << shapeText(cpu.sizes()) << ",\"data_offsets\":[" << offset << "," << offset + bytes << "]}";
    first = false;
    offset += bytes;
    contiguous.push_back(cpu);
  }
  header << "}";
  std::string headerText = header.str();
  // The format pads the header with spaces so the data starts 8-byte aligned.
  while (headerText.size() % 8 != 0) headerText += ' ';

  const fs::path target(path);
  const fs::path temporary = target.parent_path() /
      ("." + target.filename().string() + ".partial-" + std::to_string(std::random_device{}()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw WeightsError(path, "cannot write the weights file");
    const std::uint64_t length = headerText.size();
    unsigned char lengthBytes[8];
    for (int i = 0; i < 8; ++i) lengthBytes[i] = static_cast<unsigned char>((length >> (8 * i)) & 0xFF);
    out.write(reinterpret_cast<const char*>(lengthBytes), 8);
    out.write(headerText.data(), static_cast<std::streamsize>(headerText.size()));
    for (const auto& tensor : contiguous)
      out.write(static_cast<const char*>(tensor.data_ptr()), static_cast<std::streamsize>(tensor.numel() * tensor.element_size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(temporary, ignored);
      throw WeightsError(path, "writing the weights failed (disk full?)");
    }
  }
  std::error_code ec;
  fs::rename(temporary, target, ec);
  if (ec) {
    fs::remove(temporary, ec);
    throw WeightsError(path, "cannot move the written weights into place: " + ec.message());
  }
}

std::map<std::string, torch::Tensor> moduleState(const torch::nn::Module& module) {
  std::map<std::string, torch::Tensor> state;
  for (const auto& item : module.named_parameters(true)) state[item.key()] = item.value();
  for (const auto& item : module.named_buffers(true)) state[item.key()] = item.value();
  return state;
}

void saveModuleWeights(const torch::nn::Module& module, const std::string& path,
                       const std::map<std::string, std::string>& metadata) {
  saveSafetensors(path, moduleState(module), metadata);
}

std::map<std::string, std::string> loadModuleWeights(torch::nn::Module& module, const std::string& path) {
  const SafetensorsContent content = loadSafetensors(path);
  loadModuleWeights(module, content, path);
  return content.metadata;
}

void loadModuleWeights(torch::nn::Module& module, const SafetensorsContent& content, const std::string& path) {
  auto state = moduleState(module);
  std::vector<std::string> missing, misShaped, unexpected;
  for (const auto& [name, tensor] : state) {
    const auto found = content.tensors.find(name);
    if (found == content.tensors.end())
      missing.push_back(name);
    else if (found->second.sizes() != tensor.sizes())
      misShaped.push_back(name + " has shape " + shapeText(found->second.sizes()) + ", the model needs " + shapeText(tensor.sizes()));
  }
  for (const auto& [name, tensor] : content.tensors)
    if (!state.count(name)) unexpected.push_back(name);
  if (!missing.empty() || !misShaped.empty() || !unexpected.empty()) {
    // A few names of each kind: enough to tell a wrong model from a renamed layer.
    const auto listed = [](const char* what, const std::vector<std::string>& names) {
      if (names.empty()) return std::string();
      std::string text = std::string(what) + " " + std::to_string(names.size()) + ": ";
      for (std::size_t i = 0; i < std::min<std::size_t>(names.size(), 3); ++i) text += (i ? ", " : "") + names[i];
      return text + (names.size() > 3 ? ", ...; " : "; ");
    };
    std::string summary = listed("mis-shaped", misShaped) + listed("missing", missing) + listed("unexpected", unexpected);
    summary.resize(summary.size() - 2);
    throw WeightsError(path, "weights do not match the model (" + summary + ")");
  }
  torch::NoGradGuard noGrad;
  for (auto& [name, tensor] : state) tensor.copy_(content.tensors.at(name).to(tensor.dtype()));
}

} // namespace medclick
