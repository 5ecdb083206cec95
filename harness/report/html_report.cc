#include "harness/report/html_report.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "harness/console/console_decoder.h"
#include "harness/report/atomic_file.h"
#include "harness/report/gate.h"
#include "harness/report/html_charts.h"
#include "harness/report/xml_text.h"

namespace rh {
namespace {

using Html = std::ostringstream;

std::string esc(std::string_view s) { return xml_escape(s); }

const char* kStyle = R"css(
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #ddd;margin-top:1.6em}
table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:left}
.count{display:inline-block;margin-right:1em;padding:2px 8px;border-radius:3px;background:#eee}
[data-verdict=PASS],[data-verdict=XFAIL]{background:#dff0d8}
[data-verdict=FAIL],[data-verdict=TIMEOUT],[data-verdict=XPASS],[data-verdict=FLAKY]{background:#f8d7da}
[data-verdict=UNRESOLVED]{background:#fde2b8}[data-verdict=UNSUPPORTED]{background:#e2e3e5}
.waterfall{margin:0.5em 0 1.2em}.phase-label,.phase-time,.axis{font-size:11px}
.missing{color:#a00;font-size:12px}.trend{display:inline-block;margin:0 1.5em 1em 0}
pre{background:#f7f7f7;padding:6px;overflow-x:auto;font-size:12px}
.phase-marker{background:#ffe9a8;display:block}
button.filter{margin-right:4px}
)css";

// Verdict filter for the scenario table; the page reads fine without it.
const char* kScript = R"js(
function filterVerdict(v){document.querySelectorAll('#summary tr.scenario-row').forEach(
  function(r){r.style.display=(!v||r.dataset.verdict===v)?'':'none';});}
)js";

std::string backend_of(const ScenarioResult& s) {
  std::string b = s.backend + (s.accel.empty() ? "" : " (" + s.accel + ")");
  return s.host.empty() ? b : b + " on " + s.host;
}

// An attempt that failed for an infrastructure reason and was run again.
void retried_row(const ScenarioResult& s, const RetriedAttempt& a, Html& h) {
  h << "<tr class=\"retried-attempt\" data-scenario=\"" << esc(s.name) << "\" data-attempt=\""
    << a.attempt << "\"><td>&#8627; attempt " << a.attempt << "</td><td>" << to_string(a.verdict)
    << "</td><td>" << esc(a.reason) << " (retried)</td><td></td><td>" << esc(a.artifacts_dir)
    << "</td><td>" << esc(a.host) << "</td><td>" << static_cast<long long>(a.duration_ms)
    << " ms</td></tr>";
}

void summary(const RunResult& run, Html& h) {
  std::map<std::string, int> counts;
  for (const auto& s : run.scenarios) ++counts[std::string(to_string(s.verdict))];
  h << "<section id=\"summary\"><h2>Summary</h2><p>";
  h << "<button class=\"filter\" onclick=\"filterVerdict('')\">all " << run.scenarios.size()
    << "</button>";
  for (const auto& [v, n] : counts) {
    h << "<span class=\"count\" data-verdict=\"" << v << "\" data-count=\"" << n
      << "\" onclick=\"filterVerdict('" << v << "')\">" << v << " " << n << "</span>";
  }
  h << "</p><table><tr><th>scenario</th><th>verdict</th><th>reason</th><th>stage reached</th>"
       "<th>ROM</th><th>backend</th><th>time</th></tr>";
  for (const auto& s : run.scenarios) {
    std::string v(to_string(s.verdict));
    h << "<tr class=\"scenario-row\" data-scenario=\"" << esc(s.name) << "\" data-verdict=\"" << v
      << "\"><td><a href=\"#log-" << esc(s.name) << "\">" << esc(s.name) << "</a></td><td>" << v
      << "</td><td>" << esc(s.reason) << "</td><td>" << esc(s.stage_reached) << "</td><td>"
      << esc(rom_key(s)) << "</td><td>" << esc(backend_of(s)) << "</td><td>"
      << static_cast<long long>(s.duration_ms) << " ms</td></tr>";
    for (const auto& a : s.retried) retried_row(s, a, h);
  }
  h << "</table></section>";
}

// What the run said about itself: backend notices (a boot server bound
// beyond loopback, TLS off) and warnings (a report it could not write).
void run_notes(const RunResult& run, Html& h) {
  if (run.notices.empty() && run.warnings.empty()) return;
  h << "<section id=\"run-notes\"><h2>Notes on this run</h2><ul>";
  for (const auto& n : run.notices) h << "<li class=\"notice\">" << esc(n) << "</li>";
  for (const auto& w : run.warnings) h << "<li class=\"warning\">warning: " << esc(w) << "</li>";
  h << "</ul></section>";
}

void waterfalls(const RunResult& run, Html& h) {
  double axis = 1000;
  for (const auto& s : run.scenarios) {
    for (const auto& p : s.phases) axis = std::max(axis, p.at_ms);
  }
  h << "<section id=\"waterfalls\"><h2>Boot timelines</h2>";
  for (const auto& s : run.scenarios) {
    h << "<div class=\"waterfall\" data-scenario=\"" << esc(s.name) << "\"><h3>" << esc(s.name)
      << " <small>" << to_string(s.verdict) << "</small></h3>" << waterfall_svg(s.phases, axis);
    if (!s.missing_phases.empty()) {
      std::string list;
      for (const auto& m : s.missing_phases) list += (list.empty() ? "" : ", ") + m;
      h << "<div class=\"missing\">not seen: " << esc(list) << "</div>";
    }
    h << "</div>";
  }
  h << "</section>";
}

void rom_sizes(const RunResult& run, Html& h) {
  std::map<std::string, RomBar> bars;
  for (const auto& s : run.scenarios) {
    if (!s.rom.size_bytes) continue;
    RomBar& b = bars[rom_key(s)];
    b.key = rom_key(s);
    b.size = std::max(b.size, *s.rom.size_bytes);
    if (s.rom.budget_bytes) b.budget = s.rom.budget_bytes;
  }
  std::vector<RomBar> list;
  for (auto& [_, b] : bars) list.push_back(b);
  h << "<section id=\"rom-sizes\"><h2>ROM size against budget</h2>" << rom_sizes_svg(list)
    << "</section>";
}

void feature_costs(const std::vector<FeatureCostRow>& rows, Html& h) {
  if (rows.empty()) return;
  h << "<section id=\"feature-costs\"><h2>Feature cost</h2><table><tr><th>feature</th>"
       "<th>variant</th><th>bytes</th><th>note</th></tr>";
  for (const auto& r : rows) {
    h << "<tr class=\"feature-cost\"><td>" << esc(r.feature) << "</td><td>" << esc(r.variant)
      << "</td><td>" << r.bytes << "</td><td>" << esc(r.note) << "</td></tr>";
  }
  h << "</table></section>";
}

// The phase a trend follows: the furthest the boot usually gets.
std::string trend_phase(const ScenarioTrend& t) {
  for (const char* p : {"userspace-marker", "kernel-start", "first-http-request", "rom-banner"}) {
    if (t.phase_median_ms.contains(p)) return p;
  }
  return t.phase_median_ms.empty() ? "" : t.phase_median_ms.begin()->first;
}

void trends(const RunResult& run, const HistoryView& view, Html& h) {
  h << "<section id=\"trends\"><h2>Trends over past runs</h2>";
  if (view.scenarios.empty()) h << "<p>No history yet.</p>";
  for (const auto& s : run.scenarios) {
    auto it = view.scenarios.find(s.name);
    if (it == view.scenarios.end()) continue;
    const ScenarioTrend& t = it->second;
    std::string phase = trend_phase(t);
    h << "<div class=\"trend\" data-scenario=\"" << esc(s.name) << "\"><div>" << esc(s.name)
      << "</div>";
    if (!phase.empty()) {
      h << "<div>" << esc(phase) << " (ms)</div>"
        << sparkline_svg(t.phase_median_ms.at(phase), "phase:" + phase);
    }
    if (!t.rom_size_bytes.empty()) {
      h << "<div>ROM size (bytes)</div>" << sparkline_svg(t.rom_size_bytes, "rom-size");
    }
    h << "</div>";
  }
  h << "</section>";
}

// The scenario's decoded console with times (its serial.tsv artifact), or
// its last lines without times when the artifact is not there.
std::vector<ConsoleLine> console_of(const ScenarioResult& s, const std::filesystem::path& dir) {
  std::vector<ConsoleLine> lines;
  auto it = s.artifacts.find("serial.tsv");
  if (it != s.artifacts.end() && !dir.empty()) {
    std::ifstream in(dir / it->second, std::ios::binary);
    for (std::string line; in && std::getline(in, line);) {
      const auto tab = line.find('\t');
      if (tab == std::string::npos) continue;
      lines.push_back({std::strtod(line.c_str(), nullptr), line.substr(tab + 1)});
    }
  }
  if (lines.empty()) {
    for (const auto& text : s.last_serial_lines) lines.push_back({-1, text});
  }
  return lines;
}

void serial_log(const ScenarioResult& s, const HtmlExtras& x, const std::filesystem::path& dir,
                Html& h) {
  h << "<details class=\"serial-log\" id=\"log-" << esc(s.name) << "\" data-scenario=\""
    << esc(s.name) << "\"><summary>" << esc(s.name) << " serial console</summary><pre>";
  size_t shown = 0;
  std::vector<Phase> markers;
  for (const auto& p : s.phases) {
    if (p.source != "harness") markers.push_back(p);
  }
  size_t next = 0;
  for (const auto& line : console_of(s, dir)) {
    for (; line.at_ms >= 0 && next < markers.size() && markers[next].at_ms <= line.at_ms; ++next) {
      h << "<span class=\"phase-marker\" data-phase=\"" << esc(markers[next].name) << "\">"
        << "&#9654; " << esc(markers[next].name) << " at " << markers[next].at_ms << " ms ("
        << esc(markers[next].source) << ")</span>";
    }
    if (shown++ == x.max_log_lines) h << "[... later lines elided ...]\n";
    if (shown > x.max_log_lines) continue;
    h << esc(line.text) << "\n";
  }
  h << "</pre></details>";
}

}  // namespace

std::string html_report(const RunResult& run, const HistoryView& view, const HtmlExtras& extras,
                        const std::filesystem::path& report_dir) {
  Html h;
  h << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>romharness "
    << esc(run.run_id) << "</title><style>" << kStyle << "</style><script>" << kScript
    << "</script></head><body>";
  h << "<h1>romharness run " << esc(run.run_id) << "</h1><p>started " << esc(run.started_at)
    << ", finished " << esc(run.finished_at) << " on " << esc(run.host)
    << (run.interrupted ? " <strong>(interrupted)</strong>" : "") << "</p>";
  run_notes(run, h);
  summary(run, h);
  waterfalls(run, h);
  rom_sizes(run, h);
  feature_costs(extras.feature_costs, h);
  trends(run, view, h);
  h << "<section id=\"serial-logs\"><h2>Serial consoles</h2>";
  for (const auto& s : run.scenarios) serial_log(s, extras, report_dir, h);
  h << "</section></body></html>\n";
  return h.str();
}

void write_html(const RunResult& run, const HistoryView& trends, const std::filesystem::path& path,
                const HtmlExtras& extras) {
  write_file_atomically(path, html_report(run, trends, extras, path.parent_path()));
}

}  // namespace rh
