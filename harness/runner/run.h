// A whole run: scenarios spread over -j workers, progress as they go, and the
// reports rewritten (atomically) after each scenario finishes so an
// interrupted or killed run still leaves reports for what finished.
//
//   RunResult result = execute_run(scenarios, context, {.jobs = 2}, progress);
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include "harness/core/result.h"
#include "harness/runner/progress.h"
#include "harness/runner/run_context.h"
#include "harness/scenario/scenario.h"

namespace rh {

struct RunSettings {
  int jobs = 1;
  int repeat = 1;  // boots per scenario; disagreeing attempts are FLAKY
  // Boots again after an infrastructure failure, at most this many times
  // (a host that stopped answering is retried once more in any case); a
  // test failure is never retried.
  int retries = 0;
  // The whole run's limit (--run-timeout): boots still going when it runs out
  // end as TIMEOUT, scenarios not yet started are TIMEOUT without a boot.
  std::optional<std::chrono::milliseconds> run_timeout;
  std::vector<std::string> command_line;
  // Called (under a lock, in finish order) after each scenario with the run
  // so far, e.g. to rewrite reports and record history.
  std::function<void(const RunResult&, const ScenarioResult&)> on_scenario_done;
};

RunResult execute_run(const std::vector<Scenario>& scenarios, const RunContext& context,
                      const RunSettings& settings, Progress& progress);

// "20261129-013624-4f2a": sortable, unique enough for one machine.
std::string new_run_id();
std::string utc_now_iso8601();

}  // namespace rh
