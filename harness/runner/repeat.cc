#include "harness/runner/repeat.h"

#include <algorithm>

namespace rh {
namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string verdict_list(const std::vector<ScenarioResult>& attempts) {
  std::string out;
  for (std::size_t i = 0; i < attempts.size(); ++i) {
    out += (i == 0 ? "" : ", ") + std::string(to_string(attempts[i].verdict));
  }
  return out;
}

}  // namespace

ScenarioResult combine_attempts(const std::vector<ScenarioResult>& attempts) {
  ScenarioResult r = attempts.back();  // the last attempt's artifacts and serial tail
  if (attempts.size() == 1) return r;
  r.attempts = static_cast<int>(attempts.size());
  r.duration_ms = 0;
  for (const auto& a : attempts) {
    r.duration_ms += a.duration_ms;
    for (const auto& p : a.phases) r.phase_samples[p.name].push_back(p.at_ms);
  }
  for (auto& p : r.phases) {
    if (auto it = r.phase_samples.find(p.name); it != r.phase_samples.end()) {
      p.at_ms = median(it->second);
    }
  }
  const bool agree = std::all_of(attempts.begin(), attempts.end(), [&](const ScenarioResult& a) {
    return a.verdict == attempts.front().verdict;
  });
  if (!agree) {
    r.verdict = Verdict::kFlaky;
    r.reason = "attempts disagree: " + verdict_list(attempts) + "; last: " + attempts.back().reason;
  } else if (attempts.size() > 1) {
    r.reason += " (" + std::to_string(attempts.size()) + " attempts agree)";
  }
  return r;
}

}  // namespace rh
