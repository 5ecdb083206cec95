#include "harness/runner/run.h"

#include <unistd.h>

#include <atomic>
#include <ctime>
#include <random>
#include <thread>

#include "harness/runner/repeat.h"
#include "harness/runner/scenario_runner.h"

namespace rh {

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string new_run_id() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  std::random_device rd;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%04x", rd() & 0xffff);
  return std::string(stamp) + "-" + suffix;
}

RunResult execute_run(const std::vector<Scenario>& scenarios, const RunContext& context,
                      const RunSettings& settings, Progress& progress) {
  RunResult run;
  run.run_id = context.report_dir.filename().string();
  run.started_at = utc_now_iso8601();
  run.command_line = settings.command_line;
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  run.host = host;

  std::vector<std::optional<ScenarioResult>> slots(scenarios.size());
  std::atomic<std::size_t> next{0};
  std::mutex done_mu;
  RunContext ctx = context;
  ctx.on_phase = [&](const std::string& name, const std::string& stage) {
    progress.phase(name, stage);
  };

  const auto snapshot = [&] {
    RunResult partial = run;
    for (const auto& slot : slots) {
      if (slot) partial.scenarios.push_back(*slot);
    }
    return partial;
  };
  // Each worker starts and stops its own VMs: PR_SET_PDEATHSIG is per thread.
  const auto worker = [&] {
    for (std::size_t i = next++; i < scenarios.size(); i = next++) {
      if (context.interrupted != nullptr && context.interrupted->load()) return;
      progress.started(scenarios[i].name);
      std::vector<ScenarioResult> attempts;
      for (int k = 1; k <= settings.repeat; ++k) {
        if (k > 1 && context.interrupted != nullptr && context.interrupted->load()) break;
        RunContext attempt_ctx = ctx;
        attempt_ctx.attempt = settings.repeat > 1 ? k : 0;
        attempts.push_back(run_scenario(scenarios[i], attempt_ctx));
      }
      ScenarioResult r = combine_attempts(attempts);
      std::lock_guard lock(done_mu);
      slots[i] = r;
      progress.finished(r);
      if (settings.on_scenario_done) settings.on_scenario_done(snapshot(), r);
    }
  };
  std::vector<std::thread> workers;
  const int jobs = std::max(1, std::min<int>(settings.jobs, static_cast<int>(scenarios.size())));
  for (int j = 0; j < jobs; ++j) workers.emplace_back(worker);
  for (auto& w : workers) w.join();

  RunResult final_run = snapshot();
  final_run.interrupted = context.interrupted != nullptr && context.interrupted->load();
  final_run.finished_at = utc_now_iso8601();
  return final_run;
}

}  // namespace rh
