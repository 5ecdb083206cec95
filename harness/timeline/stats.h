// Median and 95th percentile of repeated measurements (`run --repeat N`),
// per phase. Percentiles use linear interpolation between closest ranks
// (numpy's default), so one sample gives median == p95 == that sample.
//
//   auto s = summarise({{"kernel-start", {1200, 1180, 1500}}});
//   s["kernel-start"].median;  // 1200
//   s["kernel-start"].spread();  // p95 - median
#pragma once

#include <map>
#include <string>
#include <vector>

namespace rh {

struct Stats {
  int count = 0;
  double min = 0;
  double median = 0;
  double p95 = 0;
  double max = 0;
  double spread() const { return p95 - median; }  // what the gate treats as noise
};

Stats compute_stats(std::vector<double> samples);            // count 0 and zeros when empty
double percentile(std::vector<double> samples, double pct);  // pct in [0, 100]

std::map<std::string, Stats> summarise(const std::map<std::string, std::vector<double>>& samples);

}  // namespace rh
