// `romharness report`: --compare A B, --list, --import FILE...
#include <algorithm>
#include <filesystem>
#include <map>
#include <ostream>
#include <set>

#include "harness/core/error.h"
#include "harness/report/gate.h"
#include "harness/report/history.h"
#include "harness/report/html_report.h"
#include "harness/report/json_report.h"
#include "harness/report/junit.h"
#include "harness/report/merge.h"
#include "harness/report/phase_stats.h"
#include "harness/report/text_table.h"

namespace rh {
namespace {

const ScenarioResult* find(const RunResult& run, const std::string& name) {
  for (const auto& s : run.scenarios) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::vector<std::string> scenario_names(const RunResult& a, const RunResult& b) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (const auto* run : {&a, &b}) {
    for (const auto& s : run->scenarios) {
      if (seen.insert(s.name).second) names.push_back(s.name);
    }
  }
  return names;
}

std::string size_of(const ScenarioResult* s) {
  return s && s->rom.size_bytes ? std::to_string(*s->rom.size_bytes) : "-";
}

std::string size_delta(const ScenarioResult* a, const ScenarioResult* b) {
  if (!a || !b || !a->rom.size_bytes || !b->rom.size_bytes) return "";
  return format_signed(double(*b->rom.size_bytes - *a->rom.size_bytes));
}

void compare_verdicts_and_roms(const RunResult& a, const RunResult& b, std::ostream& out) {
  TextTable t({"SCENARIO", "VERDICT A", "VERDICT B", "ROM A", "ROM B", "ROM DELTA"});
  for (const auto& name : scenario_names(a, b)) {
    const ScenarioResult* sa = find(a, name);
    const ScenarioResult* sb = find(b, name);
    t.add({name, sa ? std::string(to_string(sa->verdict)) : "-",
           sb ? std::string(to_string(sb->verdict)) : "-", size_of(sa), size_of(sb),
           size_delta(sa, sb)});
  }
  out << t.str();
}

void compare_phases(const RunResult& a, const RunResult& b, std::ostream& out) {
  TextTable t({"SCENARIO", "PHASE", "MEDIAN A ms", "MEDIAN B ms", "DELTA ms", "DELTA %"});
  for (const auto& name : scenario_names(a, b)) {
    const ScenarioResult* sa = find(a, name);
    const ScenarioResult* sb = find(b, name);
    auto pa = sa ? phase_stats(*sa) : std::map<std::string, Stats>{};
    auto pb = sb ? phase_stats(*sb) : std::map<std::string, Stats>{};
    std::vector<std::pair<double, std::string>> order;  // by time in B, else A
    for (const auto& [phase, st] : pb) order.push_back({st.median, phase});
    for (const auto& [phase, st] : pa) {
      if (!pb.contains(phase)) order.push_back({st.median, phase});
    }
    std::sort(order.begin(), order.end());
    for (const auto& [_, phase] : order) {
      bool both = pa.contains(phase) && pb.contains(phase);
      double delta = both ? pb[phase].median - pa[phase].median : 0;
      t.add({name, phase, pa.contains(phase) ? format_ms(pa[phase].median) : "-",
             pb.contains(phase) ? format_ms(pb[phase].median) : "-",
             both ? format_signed(delta, 1) : "",
             both && pa[phase].median > 0 ? format_signed(delta / pa[phase].median * 100, 1) + "%"
                                          : ""});
    }
  }
  out << t.str();
}

// "qemu", "libvirt (qemu:///system, qemu+ssh://lab-3/system)": the backends
// and hosts of a run's scenarios, so runs of two backends read side by side.
std::string where_it_ran(const RunResult& run) {
  std::map<std::string, std::set<std::string>> hosts;
  for (const auto& s : run.scenarios) {
    auto& h = hosts[s.backend.empty() ? "unknown backend" : s.backend];
    if (!s.host.empty()) h.insert(s.host);
  }
  std::string text;
  for (const auto& [backend, on] : hosts) {
    text += (text.empty() ? "" : ", ") + backend;
    std::string list;
    for (const auto& h : on) list += (list.empty() ? "" : ", ") + h;
    if (!list.empty()) text += " (" + list + ")";
  }
  return text.empty() ? "no scenarios" : text;
}

int compare(const std::vector<std::string>& refs, const std::filesystem::path& db,
            std::ostream& out) {
  RunResult ra = load_run_ref(refs[0], db);
  RunResult rb = load_run_ref(refs[1], db);
  out << "A: " << ra.run_id << " (" << ra.started_at << ") on " << where_it_ran(ra) << "\n"
      << "B: " << rb.run_id << " (" << rb.started_at << ") on " << where_it_ran(rb) << "\n\n";
  compare_verdicts_and_roms(ra, rb, out);
  out << "\n";
  compare_phases(ra, rb, out);
  return 0;
}

int list(const std::filesystem::path& db, std::ostream& out) {
  if (!std::filesystem::exists(db)) {
    throw InputError("the history database '" + db.string() + "' does not exist");
  }
  History h(db);
  TextTable t({"RUN", "STARTED", "STATE", "VERDICTS"});
  for (const auto& r : h.list_runs()) {
    std::string verdicts;
    for (const auto& [v, n] : r.verdicts)
      verdicts += (verdicts.empty() ? "" : " ") + v + "=" + std::to_string(n);
    t.add({r.run_id, r.started_at,
           !r.finished     ? "unfinished"
           : r.interrupted ? "interrupted"
                           : "finished",
           verdicts});
  }
  out << t.str();
  return 0;
}

int import(const std::vector<std::string>& files, const std::filesystem::path& db,
           std::ostream& out) {
  History h(db);
  for (const auto& f : files) {
    RunResult run = read_json(f);
    h.record_run(run);
    out << "imported run " << run.run_id << " (" << run.scenarios.size() << " scenarios) into "
        << db.string() << "\n";
  }
  return 0;
}

// A shard's report directory, or its results.json.
ShardReport read_shard(const std::filesystem::path& given) {
  const bool is_dir = std::filesystem::is_directory(given);
  const auto dir = is_dir ? given : given.parent_path();
  return {dir, read_json(is_dir ? given / "results.json" : given)};
}

int merge(const std::vector<std::filesystem::path>& shards, const std::filesystem::path& out_dir,
          const std::filesystem::path& db, std::ostream& out) {
  if (out_dir.empty())
    throw InputError("report --merge: say where the merged report goes (--out DIR)");
  std::vector<ShardReport> reports;
  reports.reserve(shards.size());
  for (const auto& s : shards) reports.push_back(read_shard(s));
  const RunResult run = merge_runs(reports, out_dir);
  std::filesystem::create_directories(out_dir);
  write_json(run, out_dir / "results.json");
  write_junit(run, out_dir / "junit.xml");
  History h(db);
  h.record_run(run);
  write_html(run, h.trends(), out_dir / "index.html", {});
  out << "merged " << shards.size() << " shards of run " << run.run_id << " ("
      << run.scenarios.size() << " scenarios) into " << out_dir.string() << "/ and " << db.string()
      << "\n";
  return 0;
}

}  // namespace

int report_command(const ReportCommandOptions& o, std::ostream& out) {
  const int actions = (o.compare.empty() ? 0 : 1) + (o.list ? 1 : 0) + (o.import.empty() ? 0 : 1) +
                      (o.merge.empty() ? 0 : 1);
  if (actions != 1) {
    throw InputError(
        "report: say what to do, one of: --compare A B, --list, --import FILE... or "
        "--merge DIR... --out DIR");
  }
  if (!o.merge.empty()) return merge(o.merge, o.out, o.db, out);
  if (!o.compare.empty() && o.compare.size() != 2) {
    throw InputError("report: --compare needs two runs, got " + std::to_string(o.compare.size()));
  }
  if (!o.compare.empty()) return compare(o.compare, o.db, out);
  if (o.list) return list(o.db, out);
  return import(o.import, o.db, out);
}

}  // namespace rh
