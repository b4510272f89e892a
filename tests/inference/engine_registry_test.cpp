// The engine registry: what a weights file's engine can do, read from its metadata alone, and the
// engine of the model the caller names, refusing a file of another model.

#include "support/scratch_folder.h"
#include "support/torch_test.h"

#include "engine/engine_registry.h"
#include "weights/safetensors.h"

#include <fstream>

using namespace medclick;

namespace {

std::string weightsFile(const std::string& name, const std::map<std::string, std::string>& metadata) {
  static const test::ScratchFolder folder("medclick-engine-registry");
  const std::string path = (folder.path() / (name + ".safetensors")).string();
  saveSafetensors(path, {{"unused", torch::zeros({2})}}, metadata);
  return path;
}

} // namespace

MEDCLICK_TEST(capabilities_come_from_the_files_metadata) {
  const auto ikan = describeWeights(weightsFile("ikan", {{"model", "ikan"}, {"variant", "small"}}));
  EXPECT(ikan.model == "ikan");
  EXPECT(ikan.capabilities.dimension == 2 && ikan.capabilities.takesClicks && !ikan.capabilities.segmentsWithoutClicks);
  EXPECT(ikan.capabilities.acceptsChannels(1) && ikan.capabilities.acceptsChannels(3) && !ikan.capabilities.acceptsChannels(2));

  const auto caiseg = describeWeights(weightsFile("caiseg", {{"model", "caiseg"}, {"variant", "slim"}}));
  EXPECT(caiseg.capabilities.dimension == 3 && caiseg.capabilities.takesClicks && caiseg.capabilities.segmentsWithoutClicks);
  EXPECT(caiseg.capabilities.channels == std::vector<int>{1});

  // KM-UNet takes its trained channel count, or a grey image repeated into it; KANU-Net only its own.
  const auto kmunet = describeWeights(weightsFile("kmunet", {{"model", "kmunet"}, {"in_channels", "2"}}));
  EXPECT(kmunet.capabilities.dimension == 2 && !kmunet.capabilities.takesClicks && kmunet.capabilities.segmentsWithoutClicks);
  EXPECT((kmunet.capabilities.channels == std::vector<int>{1, 2}));
  const auto kanunet = describeWeights(weightsFile("kanunet", {{"model", "kanunet"}, {"in_channels", "4"}}));
  EXPECT(kanunet.capabilities.channels == std::vector<int>{4});

  // IKAN files written before the model field existed are IKAN's.
  EXPECT(describeWeights(weightsFile("early", {{"variant", "small"}})).model == "ikan");
}

MEDCLICK_TEST(unknown_or_broken_files_and_other_models_are_refused_with_the_path) {
  const std::string unknown = weightsFile("unknown", {{"model", "nnunet"}});
  EXPECT_THROWS_WITH(WeightsError, describeWeights(unknown), "does not know ('nnunet')");
  const std::string text = (std::filesystem::path(unknown).parent_path() / "text.safetensors").string();
  std::ofstream(text) << "not weights";
  EXPECT_THROWS_WITH(WeightsError, describeWeights(text), "text.safetensors");
  EXPECT_THROWS_WITH(WeightsError, describeWeights(text + ".missing"), "cannot open");

  EngineRequest request;
  request.model = "ikan";
  request.device = "cpu";
  request.weightsPath = weightsFile("caiseg-for-ikan", {{"model", "caiseg"}, {"variant", "slim"}});
  EXPECT_THROWS_WITH(WeightsError, openEngine(request), "not IKAN");
  request.model = "nnunet";
  EXPECT_THROWS_WITH(std::invalid_argument, openEngine(request), "unknown model 'nnunet'");
  EXPECT(registeredModels() == (std::vector<std::string>{"ikan", "caiseg", "kmunet", "kanunet"}));
}

MEDCLICK_TEST_MAIN()
