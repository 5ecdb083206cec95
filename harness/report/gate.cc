#include "harness/report/gate.h"

#include <algorithm>
#include <map>
#include <ostream>
#include <set>

#include "harness/core/error.h"
#include "harness/report/history.h"
#include "harness/report/json_report.h"
#include "harness/report/phase_stats.h"
#include "harness/report/text_table.h"

namespace rh {
namespace {

std::map<std::string, const ScenarioResult*> by_name(const RunResult& run) {
  std::map<std::string, const ScenarioResult*> m;
  for (const auto& s : run.scenarios) m[s.name] = &s;
  return m;
}

// Largest size seen per ROM key (scenarios sharing a ROM report the same size).
std::map<std::string, const ScenarioResult*> roms(const RunResult& run) {
  std::map<std::string, const ScenarioResult*> m;
  for (const auto& s : run.scenarios) {
    if (!s.rom.size_bytes) continue;
    auto& slot = m[rom_key(s)];
    if (!slot || *slot->rom.size_bytes < *s.rom.size_bytes) slot = &s;
  }
  return m;
}

void compare_roms(const RunResult& base, const RunResult& run, const GateOptions& o,
                  GateReport& r) {
  auto before = roms(base);
  for (const auto& [key, s] : roms(run)) {
    long long size = *s->rom.size_bytes;
    if (s->rom.budget_bytes && size > *s->rom.budget_bytes) {
      r.regressions.push_back({"rom-budget", key, "size", "", std::to_string(size),
                               format_signed(double(size - *s->rom.budget_bytes)) + " B",
                               "budget " + std::to_string(*s->rom.budget_bytes) + " B"});
    }
    auto it = before.find(key);
    if (it == before.end()) {
      r.notes.push_back("ROM " + key + " is not in the baseline");
      continue;
    }
    ++r.roms_compared;
    long long old_size = *it->second->rom.size_bytes;
    if (size - old_size > o.max_rom_growth_bytes) {
      r.regressions.push_back({"rom-growth", key, "size", std::to_string(old_size),
                               std::to_string(size), format_signed(double(size - old_size)) + " B",
                               "+" + std::to_string(o.max_rom_growth_bytes) + " B"});
    }
  }
}

void compare_phases(const ScenarioResult& base, const ScenarioResult& cur, const GateOptions& o,
                    GateReport& r) {
  auto before = phase_stats(base);
  for (const auto& [phase, now] : phase_stats(cur)) {
    auto it = before.find(phase);
    if (it == before.end()) continue;
    ++r.phases_compared;
    const Stats& old = it->second;
    double delta = now.median - old.median;
    double allowed = std::max(
        {old.median * o.max_phase_regression_pct / 100.0, old.spread(), o.min_phase_delta_ms});
    if (delta <= allowed) continue;
    double pct = old.median > 0 ? delta / old.median * 100.0 : 0;
    r.regressions.push_back({"phase", cur.name, phase,
                             format_ms(old.median) + " ms (spread " + format_ms(old.spread()) + ")",
                             format_ms(now.median) + " ms",
                             format_signed(pct, 1) + "% (" + format_signed(delta) + " ms)",
                             "+" + format_ms(allowed) + " ms"});
  }
}

void compare_scenarios(const RunResult& base, const RunResult& run, const GateOptions& o,
                       GateReport& r) {
  auto before = by_name(base);
  for (const auto& s : run.scenarios) {
    auto it = before.find(s.name);
    if (it == before.end()) {
      r.notes.push_back("scenario " + s.name + " is not in the baseline");
      continue;
    }
    ++r.scenarios_compared;
    const ScenarioResult& old = *it->second;
    if (!is_failure(old.verdict) && is_failure(s.verdict)) {
      r.regressions.push_back({"verdict", s.name, "verdict", std::string(to_string(old.verdict)),
                               std::string(to_string(s.verdict)), s.reason, "no new failures"});
    }
    compare_phases(old, s, o, r);
  }
  auto now = by_name(run);
  for (const auto& [name, s] : before) {
    if (!now.contains(name)) r.notes.push_back("scenario " + name + " did not run");
  }
}

void print_gate(const RunResult& base, const RunResult& run, const GateReport& r,
                std::ostream& out) {
  out << "gate: run " << run.run_id << " against baseline " << base.run_id << "\n";
  if (!r.regressions.empty()) {
    TextTable t({"KIND", "SUBJECT", "WHAT", "BASELINE", "CURRENT", "CHANGE", "ALLOWED"});
    for (const auto& g : r.regressions) {
      t.add({g.kind, g.subject, g.what, g.baseline, g.current, g.change, g.limit});
    }
    out << t.str();
  }
  for (const auto& n : r.notes) out << "note: " << n << "\n";
  out << (r.regressions.empty() ? "PASS" : "FAIL") << ": " << r.regressions.size()
      << " regression(s); compared " << r.scenarios_compared << " scenario(s), "
      << r.phases_compared << " phase median(s), " << r.roms_compared << " ROM(s)\n";
}

}  // namespace

std::string rom_key(const ScenarioResult& s) {
  if (s.rom.variant.empty()) return s.rom.path;
  return s.rom.variant + "/" + s.nic + "/" + s.firmware;
}

RunResult load_run_ref(const std::string& ref, const std::filesystem::path& db,
                       const std::string& before_run) {
  std::filesystem::path p = ref;
  if (std::filesystem::is_directory(p) && std::filesystem::exists(p / "results.json")) {
    return read_json(p / "results.json");
  }
  if (std::filesystem::is_regular_file(p)) return read_json(p);
  if (!std::filesystem::exists(db)) {
    throw InputError("run '" + ref + "' is not a results file and the history database '" +
                     db.string() + "' does not exist");
  }
  History h(db);
  return h.load_run(h.resolve(ref, before_run));
}

GateReport compare_for_gate(const RunResult& baseline, const RunResult& run,
                            const GateOptions& options) {
  GateReport r;
  compare_roms(baseline, run, options, r);
  compare_scenarios(baseline, run, options, r);
  return r;
}

int gate_command(const GateCommandOptions& options, std::ostream& out) {
  RunResult run = load_run_ref(options.run, options.db);
  RunResult baseline = load_run_ref(options.baseline, options.db, run.run_id);
  GateReport r = compare_for_gate(baseline, run, options.limits);
  print_gate(baseline, run, r, out);
  return r.regressions.empty() ? 0 : 1;
}

}  // namespace rh
