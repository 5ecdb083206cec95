#include "harness/cli/run_command.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "harness/cli/args.h"
#include "harness/cli/interrupt.h"
#include "harness/core/cache_root.h"
#include "harness/core/error.h"
#include "harness/report/history.h"
#include "harness/report/html_report.h"
#include "harness/report/json_report.h"
#include "harness/report/junit.h"
#include "harness/rom/builder.h"
#include "harness/runner/run.h"
#include "harness/scenario/load.h"
#include "harness/vm/registry.h"

namespace rh {
namespace fs = std::filesystem;

const char* const kRunHelp = R"(usage: romharness run [FILES|DIRS...] [options]

Boots every scenario found in FILES and DIRS (default: scenarios/smoke) and
writes reports to REPORT_DIR/<run-id>/: junit.xml, results.json and, per
scenario, serial.log, qemu.argv, qemu.stderr, http.log, capture.pcap; an
index.html with waterfalls and trends; and records the run in the history
that `romharness gate` and `romharness report` read.

options:
  -j, --jobs N          boot N scenarios at once (default 1; 2 suits 2 cores)
  --repeat N            boot each scenario N times: phase medians and p95 in the
                        reports; attempts that disagree make it FLAKY (a failure)
  --allow-flaky         FLAKY does not fail the run
  --report-dir DIR      where runs are written (default: reports)
  --filter GLOB         only scenarios whose name matches, e.g. 'smoke/*/vmxnet3-*'
  --backend NAME        where VMs run: qemu (default; processes on this machine)
  --accel MODE          auto (default: a functional probe), tcg or kvm
  --qemu PATH           QEMU binary (default: the patched build in the cache, else
                        /usr/bin/qemu-system-x86_64)
  --payload DIR         Linux payload (vmlinuz, initrd.img; default: the cache's
                        payload/current, built by fixtures/payload/build-payload)
  --ipxe-src PATH|URL   iPXE tree or git URL[@REF] to build the ROM variants
                        scenarios name (default: $ROMHARNESS_IPXE_SRC)
  --rom VARIANT[/NIC]=FILE
                        use FILE for scenarios naming that ROM variant (repeatable),
                        e.g. --rom vmware-min/vmxnet3=ipxe/src/bin/15ad07b0.rom
  --feature-cost        with --ipxe-src: also build each variant without each of its
                        features and put what each costs in bytes in index.html
  --history PATH        SQLite run history (default: REPORT_DIR/history.sqlite)

examples:
  romharness run                                   # the smoke scenarios
  romharness run scenarios/ -j 2                   # everything, two at a time
  romharness run scenarios/smoke --filter '*e1000*' --accel tcg

exit status: 0 every scenario as expected (PASS, XFAIL, UNSUPPORTED),
1 a scenario failed, 2 bad input or set-up, 130 interrupted.
)";

const char* const kListHelp = R"(usage: romharness list [FILES|DIRS...] [--filter GLOB]

Validates scenario files and prints every scenario they expand to, without
booting anything. Exit 2 with file:line:column on the first error.
)";

namespace {

struct RunOptions {
  std::vector<fs::path> paths;
  int jobs = 1;
  int repeat = 1;
  bool allow_flaky = false;
  bool feature_cost = false;
  fs::path report_root = "reports";
  std::string filter;
  std::string accel = "auto";
  std::string backend = "qemu";
  fs::path qemu;
  fs::path payload;
  fs::path ipxe_src;
  fs::path history;
  std::map<std::string, fs::path> rom_files;
};

// --rom VARIANT[/NIC]=FILE, repeatable.
std::map<std::string, fs::path> parse_rom_files(Args& a) {
  std::map<std::string, fs::path> out;
  for (const auto& value : a.values_flag({"--rom"})) {
    const auto* spec = &value;
    const auto eq = spec->find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec->size()) {
      throw InputError("--rom needs VARIANT[/NIC]=FILE, got '" + *spec + "'");
    }
    const fs::path file = spec->substr(eq + 1);
    if (!fs::is_regular_file(file)) {
      throw InputError("--rom '" + *spec + "': file '" + file.string() + "' not found");
    }
    out[spec->substr(0, eq)] = fs::absolute(file);
  }
  return out;
}

std::vector<fs::path> scenario_paths(const std::vector<std::string>& positionals) {
  std::vector<fs::path> paths(positionals.begin(), positionals.end());
  if (paths.empty()) paths.emplace_back("scenarios/smoke");
  return paths;
}

RunOptions parse_run_options(const std::vector<std::string>& raw) {
  Args a(raw);
  RunOptions o;
  o.jobs = a.int_flag({"-j", "--jobs"}, 1, 1, 64);
  o.repeat = a.int_flag({"--repeat"}, 1, 1, 100);
  o.allow_flaky = a.bool_flag({"--allow-flaky"});
  o.feature_cost = a.bool_flag({"--feature-cost"});
  o.report_root = a.string_flag({"--report-dir"}, "reports");
  o.filter = a.string_flag({"--filter"}, "");
  o.accel = a.string_flag({"--accel"}, "auto");
  o.backend = a.string_flag({"--backend"}, "qemu");
  o.qemu = a.string_flag({"--qemu"}, "");
  o.payload = a.string_flag({"--payload"}, (cache_root() / "payload" / "current").string());
  const char* env_src = std::getenv("ROMHARNESS_IPXE_SRC");
  o.ipxe_src = a.string_flag({"--ipxe-src"}, env_src != nullptr ? env_src : "");
  o.rom_files = parse_rom_files(a);
  o.history = a.string_flag({"--history"}, (o.report_root / "history.sqlite").string());
  if (o.accel != "auto" && o.accel != "tcg" && o.accel != "kvm") {
    throw InputError("--accel must be auto, tcg or kvm, got '" + o.accel + "'");
  }
  o.paths = scenario_paths(a.positionals());
  return o;
}

std::vector<Scenario> load_selected(const std::vector<fs::path>& paths, const std::string& filter) {
  std::vector<Scenario> all = filter_scenarios(load_scenarios(paths), filter);
  if (all.empty()) throw InputError("no scenario matches (filter '" + filter + "')");
  return all;
}

void write_reports(const RunResult& run, const fs::path& dir) {
  write_json(run, dir / "results.json");
  write_junit(run, dir / "junit.xml");
}

// What each feature of the variants this run booted costs in bytes: the same
// set built without it (from the cache when built before), per NIC and platform.
std::vector<FeatureCostRow> feature_cost_rows(const std::vector<Scenario>& scenarios,
                                              const RunOptions& o, std::ostream& err) {
  std::set<std::string> sets;
  std::set<std::string> nics;
  std::set<std::string> platforms;
  for (const auto& s : scenarios) {
    if (s.rom.variant.empty()) continue;
    sets.insert(s.rom.variant);
    nics.insert(s.rom.variant_nic);
    platforms.insert(std::string(to_string(s.firmware)));
  }
  if (sets.empty()) return {};
  err << "romharness: feature costs of " << sets.size() << " variant(s) (builds without each "
      << "feature; cached after the first time)\n";
  RomBuilder builder({.ipxe_src = o.ipxe_src.string(), .jobs = o.jobs, .progress = &err});
  const auto requests = builder.requests({sets.begin(), sets.end()}, {nics.begin(), nics.end()},
                                         {platforms.begin(), platforms.end()}, true);
  std::vector<FeatureCostRow> rows;
  for (const auto& cost : feature_costs(builder.build(requests).roms)) {
    rows.push_back({cost.feature, cost.variant + "/" + cost.nic + "/" + cost.platform, cost.cost(),
                    std::to_string(cost.with_bytes) + " bytes with, " +
                        std::to_string(cost.without_bytes) + " without"});
  }
  return rows;
}

void write_html_report(const RunResult& run, const fs::path& dir, const History& history,
                       std::vector<FeatureCostRow> costs) {
  HtmlExtras extras;
  extras.feature_costs = std::move(costs);
  write_html(run, history.trends(), dir / "index.html", extras);
}

void point_latest(const fs::path& root, const std::string& run_id) {
  const fs::path link = root / "latest";
  std::error_code ec;
  fs::remove(link, ec);
  fs::create_directory_symlink(run_id, link, ec);
}

int exit_code_for(const RunResult& run, bool allow_flaky) {
  if (run.interrupted) return 130;
  for (const auto& s : run.scenarios) {
    if (is_failure(s.verdict, allow_flaky)) return 1;
  }
  return 0;
}

void print_summary(const RunResult& run, const fs::path& dir, std::ostream& out) {
  std::map<std::string, int> counts;
  for (const auto& s : run.scenarios) ++counts[std::string(to_string(s.verdict))];
  out << "\n" << run.scenarios.size() << " scenarios:";
  for (const auto& [verdict, n] : counts) out << " " << n << " " << verdict;
  out << (run.interrupted ? " (interrupted)" : "") << "\nreports: " << dir.string() << "/\n";
  for (const auto& w : run.warnings) out << "warning: " << w << "\n";
  for (const auto& s : run.scenarios) {
    if (!is_failure(s.verdict)) continue;
    out << "\n" << to_string(s.verdict) << " " << s.name << ": " << s.reason << "\n";
    for (const auto& line : s.last_serial_lines) out << "  | " << line << "\n";
  }
}

}  // namespace

int run_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const RunOptions o = parse_run_options(args);
  const std::vector<Scenario> scenarios = load_selected(o.paths, o.filter);
  InterruptWatch interrupt;  // before any thread starts
  const std::string run_id = new_run_id();
  const fs::path dir = o.report_root / run_id;
  fs::create_directories(dir);
  auto backend = make_backend(
      o.backend, {.accel = o.accel, .qemu = o.qemu, .work_dir = dir / ".setup", .run_id = run_id});
  err << "romharness: " << scenarios.size() << " scenarios, -j " << o.jobs << ", "
      << backend->describe() << "\n";
  std::vector<std::string> names;
  for (const auto& s : scenarios) names.push_back(s.name);
  Progress progress(stderr, ::isatty(STDERR_FILENO) != 0, names);
  History history(o.history);
  RunResult header;
  header.run_id = run_id;
  header.started_at = utc_now_iso8601();
  history.begin_run(header);
  const RunContext context{.backend = backend.get(),
                           .report_dir = dir,
                           .payload_dir = o.payload,
                           .ipxe_src = o.ipxe_src,
                           .rom_files = o.rom_files,
                           .interrupted = &interrupt.flag()};
  std::vector<std::string> command_line{"romharness", "run"};
  command_line.insert(command_line.end(), args.begin(), args.end());
  const RunSettings settings{
      .jobs = o.jobs,
      .repeat = o.repeat,
      .command_line = command_line,
      .on_scenario_done = [&](const RunResult& so_far, const ScenarioResult& done) {
        write_reports(so_far, dir);
        history.add_scenario(run_id, done);
      }};
  const RunResult run = execute_run(scenarios, context, settings, progress);
  write_reports(run, dir);
  history.finish_run(run);
  std::vector<FeatureCostRow> costs;
  if (o.feature_cost && !o.ipxe_src.empty()) costs = feature_cost_rows(scenarios, o, err);
  write_html_report(run, dir, history, costs);
  point_latest(o.report_root, run_id);
  print_summary(run, dir, out);
  return exit_code_for(run, o.allow_flaky);
}

int list_command(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
  Args a(args);
  const std::string filter = a.string_flag({"--filter"}, "");
  const auto scenarios = load_selected(scenario_paths(a.positionals()), filter);
  for (const auto& s : scenarios) {
    out << s.name << "  (" << s.file.string() << ":" << s.line << ")  nic=" << s.nic
        << " firmware=" << to_string(s.firmware) << " network=" << to_string(s.network)
        << " rom=" << (s.rom.variant.empty() ? s.rom.file.string() : "variant:" + s.rom.variant)
        << (s.expect.fail ? "  expect=fail" : "") << "\n";
  }
  out << scenarios.size() << " scenarios\n";
  return 0;
}

}  // namespace rh
