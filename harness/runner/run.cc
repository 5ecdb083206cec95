#include "harness/runner/run.h"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <random>
#include <thread>

#include "harness/core/duration.h"
#include "harness/runner/repeat.h"
#include "harness/runner/retry.h"
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

namespace {

// Calls progress.tick() every second until destroyed.
class Ticker {
 public:
  explicit Ticker(Progress& progress)
      : thread_([this, &progress] {
          std::unique_lock lock(mu_);
          while (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return done_; })) {
            progress.tick();
          }
        }) {}
  ~Ticker() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

ScenarioResult unresolved(const Scenario& s, const std::string& why) {
  ScenarioResult r;
  r.name = s.name;
  r.file = s.file.string();
  r.verdict = Verdict::kUnresolved;
  r.reason = "harness: " + why;
  r.failure.category = "infrastructure";
  return r;
}

ScenarioResult not_started(const Scenario& s, std::chrono::milliseconds run_timeout) {
  ScenarioResult r;
  r.name = s.name;
  r.file = s.file.string();
  r.verdict = Verdict::kTimeout;
  r.reason =
      "not started: the run's --run-timeout of " + shown_duration(run_timeout) + " ran out first";
  return r;
}

}  // namespace

RunResult execute_run(const std::vector<Scenario>& scenarios, const RunContext& context,
                      const RunSettings& settings, Progress& progress) {
  RunResult run;
  run.run_id = context.report_dir.filename().string();
  run.started_at = utc_now_iso8601();
  run.command_line = settings.command_line;
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  run.host = host;
  run.notices = context.backend->notices();
  // Earlier runs that were killed left things behind; the backend knows them.
  for (const auto& line : context.backend->sweep_leftovers()) {
    progress.note("romharness: " + line);
    run.notices.push_back(line);
  }

  run.usage_at_start = self_usage();

  std::vector<std::optional<ScenarioResult>> slots(scenarios.size());
  std::atomic<std::size_t> next{0};
  std::mutex done_mu;
  RunContext ctx = context;
  if (settings.run_timeout) {
    ctx.run_deadline = std::chrono::steady_clock::now() + *settings.run_timeout;
    ctx.run_timeout = *settings.run_timeout;
  }
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
  const auto boot = [&](const Scenario& s) {
    std::vector<ScenarioResult> attempts;
    for (int k = 1; k <= settings.repeat; ++k) {
      if (k > 1 && (context.interrupted_now() || ctx.out_of_run_time())) break;
      RunContext attempt_ctx = ctx;
      attempt_ctx.attempt = settings.repeat > 1 ? k : 0;
      attempts.push_back(run_with_retries(s, attempt_ctx, settings.retries));
    }
    return combine_attempts(attempts);
  };
  // Whatever fails here must not end the run (std::terminate from a thread):
  // the scenario becomes UNRESOLVED, a failing report write a run warning.
  const auto finish = [&](std::size_t i, const ScenarioResult& r) {
    std::lock_guard lock(done_mu);
    slots[i] = r;
    progress.finished(r);
    if (!settings.on_scenario_done) return;
    try {
      settings.on_scenario_done(snapshot(), r);
    } catch (const std::exception& e) {
      run.warnings.push_back("after " + r.name + ": " + e.what());
    }
  };
  // Each worker starts and stops its own VMs: PR_SET_PDEATHSIG is per thread.
  const auto worker = [&] {
    for (std::size_t i = next++; i < scenarios.size(); i = next++) {
      if (context.interrupted_now()) return;
      if (ctx.out_of_run_time()) {
        finish(i, not_started(scenarios[i], ctx.run_timeout));
        continue;
      }
      progress.started(scenarios[i].name);
      ScenarioResult r;
      try {
        r = boot(scenarios[i]);
      } catch (const std::exception& e) {
        r = unresolved(scenarios[i], e.what());
      }
      finish(i, r);
    }
  };
  std::vector<std::thread> workers;
  const int jobs = std::max(1, std::min<int>(settings.jobs, static_cast<int>(scenarios.size())));
  for (int j = 0; j < jobs; ++j) workers.emplace_back(worker);
  {
    Ticker ticker(progress);  // elapsed times move on a live view between events
    for (auto& w : workers) w.join();
  }

  RunResult final_run = snapshot();
  final_run.interrupted = context.interrupted_now();
  final_run.finished_at = utc_now_iso8601();
  final_run.usage_at_end = self_usage();
  return final_run;
}

}  // namespace rh
