#include "distributed/distributed_environment.h"

#include <cstdlib>
#include <stdexcept>

namespace medclick {

namespace {

const char* const kVariableNames[] = {"RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"};

long parseInteger(const std::map<std::string, std::string>& variables, const std::string& name, long fallback, long low, long high) {
  const auto found = variables.find(name);
  if (found == variables.end() || found->second.empty()) return fallback;
  size_t used = 0;
  long value = 0;
  try {
    value = std::stol(found->second, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != found->second.size() || value < low || value > high)
    throw std::invalid_argument(name + "=" + found->second + ": expected an integer in " + std::to_string(low) + ".." + std::to_string(high));
  return value;
}

} // namespace

std::map<std::string, std::string> DistributedEnvironment::asVariables() const {
  return {{"RANK", std::to_string(rank)},
          {"WORLD_SIZE", std::to_string(worldSize)},
          {"LOCAL_RANK", std::to_string(localRank)},
          {"MASTER_ADDR", masterAddress},
          {"MASTER_PORT", std::to_string(masterPort)}};
}

DistributedEnvironment parseDistributedEnvironment(const std::map<std::string, std::string>& variables) {
  DistributedEnvironment e;
  e.worldSize = static_cast<int>(parseInteger(variables, "WORLD_SIZE", 1, 1, 1 << 20));
  e.rank = static_cast<int>(parseInteger(variables, "RANK", 0, 0, e.worldSize - 1));
  e.localRank = static_cast<int>(parseInteger(variables, "LOCAL_RANK", 0, 0, e.worldSize - 1));
  e.masterPort = static_cast<uint16_t>(parseInteger(variables, "MASTER_PORT", 29500, 1, 65535));
  const auto address = variables.find("MASTER_ADDR");
  if (address != variables.end() && !address->second.empty()) e.masterAddress = address->second;
  if (e.worldSize > 1 && variables.find("RANK") == variables.end())
    throw std::invalid_argument("WORLD_SIZE=" + std::to_string(e.worldSize) + " but RANK is not set: every process needs its rank");
  return e;
}

DistributedEnvironment readDistributedEnvironment() {
  std::map<std::string, std::string> variables;
  for (const char* name : kVariableNames)
    if (const char* value = std::getenv(name)) variables[name] = value;
  return parseDistributedEnvironment(variables);
}

} // namespace medclick
