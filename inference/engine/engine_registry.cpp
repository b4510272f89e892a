#include "engine/engine_registry.h"

#include "inference/caiseg/caiseg_engine.h"
#include "inference/ikan/ikan_engine.h"
#include "kanunet/kanunet_segmenter.h"
#include "kmunet/kmunet_segmenter.h"
#include "weights/safetensors.h"
#include "weights/safetensors_header.h"
#include "weights/weights_metadata.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>

namespace medclick {

namespace {

int inChannels(const std::map<std::string, std::string>& metadata) {
  const auto channels = metadata.find("in_channels");
  return channels == metadata.end() ? 1 : std::max(1, std::atoi(channels->second.c_str()));
}

struct RegisteredModel {
  std::string model;
  std::function<EngineCapabilities(const std::map<std::string, std::string>&)> capabilities;
  std::function<std::unique_ptr<SegmentationEngine>(const EngineRequest&)> open;
};

const std::vector<RegisteredModel>& models() {
  static const std::vector<RegisteredModel> table{
      {"ikan", [](const auto&) { return ikanCapabilities(); },
       [](const EngineRequest& r) -> std::unique_ptr<SegmentationEngine> {
         IkanEngineOptions o;
         o.weightsPath = r.weightsPath;
         o.device = r.device;
         o.threads = r.threads;
         o.zoomIn = r.zoomIn;
         o.flipAveraging = r.flipAveraging;
         return createIkanEngine(o);
       }},
      {"caiseg", [](const auto&) { return caisegCapabilities(); },
       [](const EngineRequest& r) -> std::unique_ptr<SegmentationEngine> {
         CaisegEngineOptions o;
         o.weightsPath = r.weightsPath;
         o.device = r.device;
         o.threads = r.threads;
         o.patch = r.patch;
         return createCaisegEngine(o);
       }},
      {"kmunet", [](const auto& metadata) { return kmunetCapabilities(inChannels(metadata)); },
       [](const EngineRequest& r) {
         KmUnetSegmenterOptions o;
         o.weightsPath = r.weightsPath;
         o.device = r.device;
         o.threads = r.threads;
         o.flipAveraging = r.flipAveraging;
         return createKmUnetSegmenter(o);
       }},
      {"kanunet", [](const auto& metadata) { return kanunetCapabilities(inChannels(metadata)); },
       [](const EngineRequest& r) {
         KanUnetSegmenterOptions o;
         o.weightsPath = r.weightsPath;
         o.device = r.device;
         o.threads = r.threads;
         return createKanUnetSegmenter(o);
       }},
  };
  return table;
}

const RegisteredModel& registered(const std::string& model) {
  for (const auto& entry : models())
    if (entry.model == model) return entry;
  std::string known;
  for (const auto& entry : models()) known += (known.empty() ? "" : ", ") + entry.model;
  throw std::invalid_argument("unknown model '" + model + "' (with weights: " + known + ")");
}

} // namespace

std::vector<std::string> registeredModels() {
  std::vector<std::string> names;
  for (const auto& entry : models()) names.push_back(entry.model);
  return names;
}

bool isRegisteredModel(const std::string& model) {
  for (const auto& entry : models())
    if (entry.model == model) return true;
  return false;
}

EngineCapabilities capabilitiesOf(const std::string& model, const std::map<std::string, std::string>& metadata) {
  return registered(model).capabilities(metadata);
}

WeightsDescription describeWeights(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw WeightsError(path, "cannot open the weights file");
  std::error_code ec;
  const std::uintmax_t fileBytes = std::filesystem::file_size(path, ec);
  if (ec) throw WeightsError(path, "cannot read the file's size");
  std::map<std::string, std::string> metadata;
  try {
    metadata = metadataInSafetensorsHeader(readSafetensorsHeader(in, fileBytes));
  } catch (const SafetensorsFormatError& e) {
    throw WeightsError(path, e.what());
  }
  const auto named = metadata.find("model");
  const std::string model = named == metadata.end() ? "ikan" : named->second; // early IKAN files name no model
  if (!isRegisteredModel(model)) throw WeightsError(path, "holds a model MedClick does not know ('" + model + "')");
  return {model, capabilitiesOf(model, metadata)};
}

std::unique_ptr<SegmentationEngine> openEngine(const EngineRequest& request) {
  return registered(request.model).open(request); // each loader checks the file's model name (weights_metadata.h)
}

} // namespace medclick
