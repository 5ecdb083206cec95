// --repeat N: one scenario booted N times becomes one result. Phase times
// are kept per attempt (phase_samples) and the reported phase is the median;
// attempts that disagree on the verdict make it FLAKY, with each verdict named.
//
//   ScenarioResult r = combine_attempts({first, second, third});
#pragma once

#include <vector>

#include "harness/core/result.h"

namespace rh {

// `attempts` must not be empty; a single attempt is returned as it is.
ScenarioResult combine_attempts(const std::vector<ScenarioResult>& attempts);

}  // namespace rh
