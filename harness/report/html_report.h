// reports/<run-id>/index.html: one self-contained page (inline CSS, JS and
// SVG; nothing fetched) for people triaging a run. Stable ids and classes so
// a headless-browser check can count what is shown:
//   #summary [data-verdict]                 one count per verdict present
//   #summary tr.scenario-row[data-scenario] one row per scenario, with its reason
//   #waterfalls .waterfall[data-scenario]   one SVG per scenario, rect.phase-bar per phase
//   #rom-sizes rect.rom-bar[data-rom]       one bar per ROM, line.rom-budget when budgeted
//   #feature-costs tr.feature-cost          only when rows are given
//   #trends .trend[data-scenario] svg.sparkline[data-metric]   from the history
//   #serial-logs .serial-log[data-scenario] .phase-marker[data-phase]
//
//   write_html(run, history.trends(), dir / "index.html", {.serial = lines_by_scenario});
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "harness/core/result.h"
#include "harness/report/history.h"
#include "harness/timeline/timeline.h"

namespace rh {

// One row of the feature-cost table (what each ROM feature adds), when ROM builds ran.
struct FeatureCostRow {
  std::string feature;  // e.g. "HTTPS"
  std::string variant;  // the variant it was measured on
  long long bytes = 0;  // size added
  std::string note;
};

struct HtmlExtras {
  std::vector<FeatureCostRow> feature_costs;
  size_t max_log_lines = 4000;  // per scenario; the rest is elided with a note
};

std::string html_report(const RunResult& run, const HistoryView& trends, const HtmlExtras& extras,
                        const std::filesystem::path& report_dir = {});
void write_html(const RunResult& run, const HistoryView& trends, const std::filesystem::path& path,
                const HtmlExtras& extras = {});

}  // namespace rh
