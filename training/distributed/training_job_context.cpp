#include "distributed/training_job_context.h"

#include "engine/device.h"

namespace medclick {

TrainingJobContext joinTrainingJob(bool fromEnvironment, const std::string& device, int timeoutSeconds) {
  TrainingJobContext job;
  job.device = chooseDevice(device);
  const DistributedEnvironment env = fromEnvironment ? readDistributedEnvironment() : DistributedEnvironment{};
  if (!env.distributed()) {
    job.context = std::make_unique<DistributedContext>();
    return job;
  }
  if (job.device.is_cuda() && !job.device.has_index() && torch::cuda::device_count() > 0)
    job.device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(env.localRank % static_cast<int>(torch::cuda::device_count())));
  job.context = std::make_unique<DistributedContext>(env, job.device, std::chrono::seconds(std::max(1, timeoutSeconds)));
  return job;
}

} // namespace medclick
