// Running a scenario again after an infrastructure failure (the emulator,
// the host, the lab) and never after a test failure: each failed attempt is
// kept in the result with its reason and its own artifacts, which move to
// <scenario dir>.attempt-N so the retry writes fresh ones.
//
//   ScenarioResult r = run_with_retries(scenario, context, /*retries=*/2);
//   r.retried;   // the attempts that failed before this one
#pragma once

#include "harness/core/result.h"
#include "harness/runner/run_context.h"
#include "harness/scenario/scenario.h"

namespace rh {

// Only a harness-side failure may be retried (UNRESOLVED, infrastructure).
bool is_retryable(const ScenarioResult& r);

ScenarioResult run_with_retries(const Scenario& s, const RunContext& ctx, int retries);

}  // namespace rh
