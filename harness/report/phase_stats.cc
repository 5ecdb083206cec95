#include "harness/report/phase_stats.h"

namespace rh {

std::map<std::string, Stats> phase_stats(const ScenarioResult& s) {
  std::map<std::string, Stats> out = summarise(s.phase_samples);
  for (const auto& p : s.phases) {
    if (!out.contains(p.name)) out[p.name] = compute_stats({p.at_ms});
  }
  return out;
}

}  // namespace rh
