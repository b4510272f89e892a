// Weights as safetensors: the byte layout of the public format, round trips of modules and dtypes,
// and clear errors for corrupt files and mismatching models.

#include "support/scratch_folder.h"
#include "support/torch_test.h"

#include "json/json_value.h"
#include "weights/safetensors.h"
#include "weights/weight_transfer.h"
#include "weights/weights_metadata.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace medclick;

namespace {

fs::path scratch(const std::string& name) {
  static const test::ScratchFolder folder("medclick-safetensors");
  return folder / name;
}

void writeBytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string readBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A file as the format specifies it: u64 little-endian header size, JSON header, raw data.
std::string safetensorsBytes(const std::string& header, const std::string& data) {
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((header.size() >> (8 * i)) & 0xFF);
  return bytes + header + data;
}

std::string floatBytes(std::initializer_list<float> values) {
  std::string data;
  for (float v : values) data.append(reinterpret_cast<const char*>(&v), sizeof v);
  return data;
}

struct SmallNetImpl : torch::nn::Module {
  SmallNetImpl() {
    conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 4, 3)));
    norm = register_module("norm", torch::nn::BatchNorm2d(4));
  }
  torch::nn::Conv2d conv{nullptr};
  torch::nn::BatchNorm2d norm{nullptr};
};
TORCH_MODULE(SmallNet);

} // namespace

MEDCLICK_TEST(reads_a_file_written_to_the_published_layout) {
  const auto path = scratch("spec.safetensors");
  writeBytes(path, safetensorsBytes(R"({"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
                                    R"("b":{"dtype":"F32","shape":[1],"data_offsets":[16,20]}})",
                                    floatBytes({1.5f, -2.0f, 0.25f, 8.0f, 3.0f})));
  const auto content = loadSafetensors(path.string());
  EXPECT(content.metadata.at("format") == "pt");
  const auto w = content.tensors.at("w");
  EXPECT(w.sizes() == at::IntArrayRef({2, 2}));
  EXPECT_NEAR(w[0][1].item<float>(), -2.0, 0);
  EXPECT_NEAR(w[1][1].item<float>(), 8.0, 0);
  EXPECT_NEAR(content.tensors.at("b")[0].item<float>(), 3.0, 0);
}

MEDCLICK_TEST(reads_hand_made_half_precision_data) {
  const auto path = scratch("f16.safetensors");
  // IEEE half 1.5 = 0x3E00, -2 = 0xC000, bfloat16 0.5 = 0x3F00; little-endian.
  writeBytes(path, safetensorsBytes(R"({"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[4,6]}})",
                                    std::string("\x00\x3e\x00\xc0\x00\x3f", 6)));
  const auto content = loadSafetensors(path.string());
  const auto h = content.tensors.at("h");
  EXPECT(h.scalar_type() == torch::kFloat16);
  EXPECT_NEAR(h[0].item<float>(), 1.5, 0);
  EXPECT_NEAR(h[1].item<float>(), -2.0, 0);
  EXPECT_NEAR(content.tensors.at("b")[0].item<float>(), 0.5, 0);
}

MEDCLICK_TEST(writes_an_aligned_header_with_exact_offsets) {
  const auto path = scratch("written.safetensors");
  saveSafetensors(path.string(), {{"a", torch::arange(3, torch::kFloat32)}, {"b", torch::ones({2, 2}, torch::kInt64)}},
                  {{"model", "test"}});
  const std::string bytes = readBytes(path);
  std::uint64_t headerSize = 0;
  for (int i = 7; i >= 0; --i) headerSize = (headerSize << 8) | static_cast<unsigned char>(bytes[i]);
  EXPECT(headerSize % 8 == 0);
  EXPECT(bytes.size() == 8 + headerSize + 3 * 4 + 4 * 8);
  const auto header = json::parse(bytes.substr(8, headerSize));
  EXPECT(header.object.at("__metadata__").object.at("model").string == "test");
  const auto& a = header.object.at("a").object;
  EXPECT(a.at("dtype").string == "F32");
  EXPECT(a.at("data_offsets").array[0].integer == 0 && a.at("data_offsets").array[1].integer == 12);
  const auto& b = header.object.at("b").object;
  EXPECT(b.at("dtype").string == "I64");
  EXPECT(b.at("data_offsets").array[0].integer == 12 && b.at("data_offsets").array[1].integer == 44);
  float second = 0;
  std::memcpy(&second, bytes.data() + 8 + headerSize + 4, 4);
  EXPECT_NEAR(second, 1.0, 0);
}

MEDCLICK_TEST(round_trips_every_supported_dtype) {
  const auto path = scratch("dtypes.safetensors");
  std::map<std::string, torch::Tensor> tensors{
      {"f64", torch::randn({3}, torch::kFloat64)},
      {"f16", torch::randn({2, 3}).to(torch::kFloat16)},
      {"bf16", torch::randn({4}).to(torch::kBFloat16)},
      {"i32", torch::tensor({-7, 1 << 20}, torch::kInt32)},
      {"u8", torch::tensor({0, 255}, torch::kUInt8)},
      {"bool", torch::tensor({true, false, true})},
      {"scalar", torch::tensor(2.5f)},
      {"empty", torch::zeros({0, 5})},
  };
  saveSafetensors(path.string(), tensors);
  const auto loaded = loadSafetensors(path.string()).tensors;
  EXPECT(loaded.size() == tensors.size());
  for (const auto& [name, tensor] : tensors) {
    EXPECT(loaded.at(name).scalar_type() == tensor.scalar_type());
    EXPECT(loaded.at(name).sizes() == tensor.sizes());
    EXPECT(torch::equal(loaded.at(name), tensor));
  }
}

MEDCLICK_TEST(module_weights_round_trip_including_batchnorm_statistics) {
  torch::manual_seed(1);
  SmallNet source;
  {
    torch::NoGradGuard noGrad;
    source->norm->running_mean.uniform_();
    source->norm->running_var.uniform_(0.5, 2.0);
  }
  const auto path = scratch("module.safetensors");
  saveModuleWeights(*source, path.string(), {{"architecture", "small"}});
  torch::manual_seed(2);
  SmallNet target;
  EXPECT(!torch::equal(source->conv->weight, target->conv->weight));
  const auto metadata = loadModuleWeights(*target, path.string());
  EXPECT(metadata.at("architecture") == "small");
  EXPECT(torch::equal(source->conv->weight, target->conv->weight));
  EXPECT(torch::equal(source->conv->bias, target->conv->bias));
  EXPECT(torch::equal(source->norm->running_var, target->norm->running_var));
  EXPECT(loadSafetensors(path.string()).tensors.count("norm.num_batches_tracked") == 1);
}

MEDCLICK_TEST(mismatching_model_is_refused_with_the_differences_named) {
  const auto path = scratch("mismatch.safetensors");
  saveSafetensors(path.string(), {{"conv.weight", torch::zeros({8, 3, 3, 3})}, {"extra", torch::zeros({1})}});
  SmallNet model;
  const auto before = model->conv->weight.clone();
  EXPECT_THROWS_WITH(WeightsError, loadModuleWeights(*model, path.string()), "conv.weight has shape [8, 3, 3, 3], the model needs [4, 3, 3, 3]");
  EXPECT_THROWS_WITH(WeightsError, loadModuleWeights(*model, path.string()), "missing 6: conv.bias");
  EXPECT_THROWS_WITH(WeightsError, loadModuleWeights(*model, path.string()), "unexpected 1: extra");
  EXPECT(torch::equal(before, model->conv->weight)); // nothing half-loaded
}

MEDCLICK_TEST(transfer_copies_the_matching_tensors_and_keeps_the_rest) {
  // The source has the same conv, a BatchNorm of another width and an extra tensor: only the conv's
  // weight and bias are taken; the norm keeps its initialisation.
  torch::manual_seed(5);
  torch::nn::Sequential source;
  source->push_back("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 4, 3)));
  source->push_back("norm", torch::nn::BatchNorm2d(6));
  source->push_back("head", torch::nn::Linear(2, 2));
  const auto path = scratch("source.safetensors").string();
  saveModuleWeights(*source, path);
  torch::manual_seed(6);
  torch::nn::Sequential target;
  target->push_back("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 4, 3)));
  target->push_back("norm", torch::nn::BatchNorm2d(4));
  const auto normBefore = moduleState(*target).at("norm.weight").clone();
  torch::NoGradGuard noGrad;
  moduleState(*target).at("norm.weight").add_(0.5);
  const WeightTransferReport report = transferMatchingWeights(*target, path);
  const auto sourceState = moduleState(*source), targetState = moduleState(*target);
  EXPECT(torch::equal(targetState.at("conv.weight"), sourceState.at("conv.weight")));
  EXPECT(torch::equal(targetState.at("conv.bias"), sourceState.at("conv.bias")));
  EXPECT(torch::allclose(targetState.at("norm.weight"), normBefore + 0.5));
  // the norm's batch count is a scalar in both, so it matches; its four per-channel tensors do not
  EXPECT(report.copied.size() == 3);
  EXPECT(report.misShaped.size() == 4);
  EXPECT(report.copiedValues == 4 * 3 * 3 * 3 + 4 + 1);
  EXPECT(report.moduleValues == report.copiedValues + 4 * 4);
  EXPECT(report.notInFile.empty());
  // A file that shares nothing is an error, not an empty transfer.
  torch::nn::Sequential unrelated;
  unrelated->push_back("other", torch::nn::Linear(3, 3));
  EXPECT_THROWS_WITH(WeightsError, transferMatchingWeights(*unrelated, path), "shares no tensor");
}

MEDCLICK_TEST(corrupt_files_give_clear_errors) {
  const auto empty = scratch("empty.safetensors");
  writeBytes(empty, "");
  EXPECT_THROWS_WITH(WeightsError, loadSafetensors(empty.string()), "shorter than its 8-byte header length");

  const auto hugeHeader = scratch("huge.safetensors");
  writeBytes(hugeHeader, std::string("\xff\xff\xff\xff\xff\xff\xff\x7f", 8) + "{}");
  EXPECT_THROWS_WITH(WeightsError, loadSafetensors(hugeHeader.string()), "does not fit the file");

  const auto badJson = scratch("badjson.safetensors");
  writeBytes(badJson, safetensorsBytes(R"({"w":{"dtype":"F32",)", ""));
  EXPECT_THROWS_WITH(WeightsError, loadSafetensors(badJson.string()), "corrupt safetensors header");

  const auto truncated = scratch("truncated.safetensors");
  writeBytes(truncated, safetensorsBytes(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", floatBytes({1, 2})));
  EXPECT_THROWS_WITH(WeightsError, loadSafetensors(truncated.string()), "outside the file");

  const auto wrongSpan = scratch("span.safetensors");
  writeBytes(wrongSpan, safetensorsBytes(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", floatBytes({1, 2})));
  EXPECT_THROWS_WITH(WeightsError, loadSafetensors(wrongSpan.string()), "need 12");

  const auto badDtype = scratch("dtype.safetensors");
  writeBytes(badDtype, safetensorsBytes(R"({"w":{"dtype":"F8_E9","shape":[1],"data_offsets":[0,1]}})", "x"));
  EXPECT_THROWS_WITH(WeightsError, loadSafetensors(badDtype.string()), "unsupported dtype");

  EXPECT_THROWS_WITH(WeightsError, loadSafetensors(scratch("absent.safetensors").string()), "cannot open");
}

MEDCLICK_TEST(json_parser_rejects_malformed_headers_and_decodes_escapes) {
  EXPECT(json::parse(R"({"k":"a\"b\u00e9"})").object.at("k").string == "a\"b\xc3\xa9");
  EXPECT(json::parse("[1, -2, 3.5]").array[1].integer == -2);
  EXPECT_THROWS_WITH(json::ParseError, json::parse(R"({"a":1,"a":2})"), "duplicate key");
  EXPECT_THROWS_WITH(json::ParseError, json::parse(R"({"a":1} x)"), "unexpected text");
  EXPECT_THROWS_WITH(json::ParseError, json::parse(std::string(100, '[')), "nested too deeply");
  EXPECT(json::parse(json::quote("line\nbreak \"q\"")).string == "line\nbreak \"q\"");
}

// The one model-name check every engine makes before it builds a network.
MEDCLICK_TEST(weights_metadata_names_the_model_or_the_file_is_refused) {
  const std::map<std::string, std::string> kmunet{{"model", "kmunet"}, {"variant", "small"}, {"input_size", "256"}};
  requireModelName(kmunet, "kmunet", "KM-UNet", "w.safetensors");
  EXPECT_THROWS_WITH(WeightsError, requireModelName(kmunet, "caiseg", "CAISeg", "w.safetensors"),
                     "w.safetensors: holds weights of model 'kmunet', not CAISeg");
  const std::map<std::string, std::string> unnamed{{"variant", "small"}};
  EXPECT_THROWS_WITH(WeightsError, requireModelName(unnamed, "kmunet", "KM-UNet", "w.safetensors"), "has no 'model' in its metadata");
  requireModelName(unnamed, "ikan", "IKAN", "w.safetensors", true); // early IKAN files: accepted
  EXPECT(requiredMetadataText(kmunet, "variant", "a KM-UNet variant", "w.safetensors") == "small");
  EXPECT_THROWS_WITH(WeightsError, requiredMetadataText(unnamed, "model", "the model", "w.safetensors"), "has no 'model' in its metadata (the model)");
  EXPECT(positiveMetadataInt(kmunet, "input_size", "w.safetensors") == 256);
  EXPECT_THROWS_WITH(WeightsError, positiveMetadataInt(kmunet, "variant", "w.safetensors"), "is not a positive integer");
}

MEDCLICK_TEST_MAIN()
