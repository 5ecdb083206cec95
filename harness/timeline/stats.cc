#include "harness/timeline/stats.h"

#include <algorithm>
#include <cmath>

namespace rh {
namespace {

double sorted_percentile(const std::vector<double>& sorted, double pct) {
  if (sorted.empty()) return 0;
  double rank = std::clamp(pct, 0.0, 100.0) / 100.0 * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(rank));
  const auto hi = static_cast<size_t>(std::ceil(rank));
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - static_cast<double>(lo));
}

}  // namespace

double percentile(std::vector<double> samples, double pct) {
  std::sort(samples.begin(), samples.end());
  return sorted_percentile(samples, pct);
}

Stats compute_stats(std::vector<double> samples) {
  Stats s;
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  s.count = static_cast<int>(samples.size());
  s.min = samples.front();
  s.max = samples.back();
  s.median = sorted_percentile(samples, 50);
  s.p95 = sorted_percentile(samples, 95);
  return s;
}

std::map<std::string, Stats> summarise(const std::map<std::string, std::vector<double>>& samples) {
  std::map<std::string, Stats> out;
  for (const auto& [name, values] : samples) out[name] = compute_stats(values);
  return out;
}

}  // namespace rh
