// Per-phase statistics of one scenario, as history, gate and reports use them:
// from `phase_samples` when the scenario was repeated, otherwise from its one
// timeline (median == p95 == the phase's time, spread 0).
//
//   auto stats = phase_stats(scenario);
//   stats["kernel-start"].median;
#pragma once

#include <map>
#include <string>

#include "harness/core/result.h"
#include "harness/timeline/stats.h"

namespace rh {

std::map<std::string, Stats> phase_stats(const ScenarioResult& s);

}  // namespace rh
