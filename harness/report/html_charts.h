// Plain SVG charts for the HTML report: no library, no script needed to draw.
//
//   std::string svg = waterfall_svg(scenario.phases, 30000.0);
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/core/result.h"
#include "harness/report/history.h"

namespace rh {

// One row per phase: a bar from the previous phase to this one, on a shared
// time axis `axis_ms` wide, so scenarios compare by eye.
std::string waterfall_svg(const std::vector<Phase>& phases, double axis_ms);

struct RomBar {
  std::string key;
  long long size = 0;
  std::optional<long long> budget;
};
// Horizontal bars of ROM sizes with each budget drawn as a line.
std::string rom_sizes_svg(const std::vector<RomBar>& bars);

// A small line of values over runs, oldest first; the last point is marked.
std::string sparkline_svg(const std::vector<TrendPoint>& points, const std::string& metric);

}  // namespace rh
