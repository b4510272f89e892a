#include "weights/safetensors_header.h"

namespace medclick {

namespace {

constexpr std::uint64_t kMaxHeaderBytes = std::uint64_t{100} << 20; // 100 MB, as the format's reference reader

} // namespace

SafetensorsHeader readSafetensorsHeader(std::istream& in, std::uint64_t fileBytes) {
  unsigned char lengthBytes[8];
  if (fileBytes < 8 || !in.read(reinterpret_cast<char*>(lengthBytes), 8))
    throw SafetensorsFormatError("not a safetensors file (shorter than its 8-byte header length)");
  SafetensorsHeader result;
  for (int i = 7; i >= 0; --i) result.headerBytes = (result.headerBytes << 8) | lengthBytes[i];
  if (result.headerBytes > kMaxHeaderBytes || result.headerBytes > fileBytes - 8)
    throw SafetensorsFormatError("not a safetensors file (header length " + std::to_string(result.headerBytes) +
                                 " does not fit the file of " + std::to_string(fileBytes) + " bytes)");
  std::string headerText(result.headerBytes, '\0');
  if (!in.read(headerText.data(), static_cast<std::streamsize>(result.headerBytes)))
    throw SafetensorsFormatError("truncated: could not read the header");
  try {
    result.header = json::parse(headerText);
  } catch (const json::ParseError& e) {
    throw SafetensorsFormatError(std::string("corrupt safetensors header: ") + e.what());
  }
  if (result.header.kind != json::Value::Kind::Object) throw SafetensorsFormatError("corrupt safetensors header: not a JSON object");
  return result;
}

std::map<std::string, std::string> metadataInSafetensorsHeader(const SafetensorsHeader& header) {
  std::map<std::string, std::string> values;
  const auto metadata = header.header.object.find("__metadata__");
  if (metadata == header.header.object.end() || metadata->second.kind != json::Value::Kind::Object) return values;
  for (const auto& [key, value] : metadata->second.object)
    if (value.kind == json::Value::Kind::String) values[key] = value.string;
  return values;
}

std::string modelInSafetensorsHeader(const SafetensorsHeader& header) {
  const auto metadata = header.header.object.find("__metadata__");
  if (metadata == header.header.object.end() || metadata->second.kind != json::Value::Kind::Object) return {};
  const auto model = metadata->second.object.find("model");
  return model == metadata->second.object.end() || model->second.kind != json::Value::Kind::String ? std::string() : model->second.string;
}

} // namespace medclick
