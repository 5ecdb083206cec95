// The release gate and run comparison, over the history or results.json files.
//
//   romharness gate --baseline latest-pass [--run latest] [--max-rom-growth 0]
//                   [--max-phase-regression 10] [--min-phase-delta 50] [--db
//                   reports/history.sqlite]
//   romharness report --compare A B [--db PATH]
//   romharness report --list [--db PATH]
//   romharness report --import reports/<run-id>/results.json [--db PATH]
//
// A RUN is a run id, "latest", "latest-pass", or a path to a results.json (or
// to the report directory holding one). For the gate's baseline, "latest-pass"
// is the newest passing run older than the run being gated.
//
// What regresses, and exits 1 with a table of it:
//   rom-growth      a ROM (per variant/NIC/firmware, or per file) grew by more than
//                   --max-rom-growth bytes (default 0: any growth)
//   rom-budget      a ROM is larger than its budget
//   verdict         a scenario that did not fail in the baseline fails now
//   phase           a phase median grew by more than --max-phase-regression percent
//                   (default 10) AND more than the baseline's spread (p95 - median,
//                   its noise under --repeat) AND more than --min-phase-delta ms
//                   (default 50; single boots under TCG jitter by tens of ms)
// Exit 0 prints what was compared; exit 2 on bad arguments or an unknown run
// (the options are read by harness/cli/report_options.cc).
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "harness/core/result.h"
#include "harness/report/history.h"

namespace rh {

struct GateOptions {
  long long max_rom_growth_bytes = 0;
  double max_phase_regression_pct = 10;
  double min_phase_delta_ms = 50;
};

struct Regression {
  std::string kind;     // rom-growth, rom-budget, verdict, phase
  std::string subject;  // ROM key or scenario name
  std::string what;     // phase name, "size", "verdict"
  std::string baseline;
  std::string current;
  std::string change;  // "+2048 B", "+35.0% (+812 ms)"
  std::string limit;   // what it was allowed
};

struct GateReport {
  std::vector<Regression> regressions;
  int roms_compared = 0;
  int phases_compared = 0;
  int scenarios_compared = 0;
  std::vector<std::string> notes;  // scenarios only in one run, ...
};

GateReport compare_for_gate(const RunResult& baseline, const RunResult& run,
                            const GateOptions& options);

// "vmware-min/vmxnet3/bios" for a built variant, else the ROM file's path.
std::string rom_key(const ScenarioResult& s);

// A RUN reference (see above) loaded from the history at `db` or a file;
// "latest-pass" skips `before_run` and newer runs (the run being gated).
RunResult load_run_ref(const std::string& ref, const std::filesystem::path& db,
                       const std::string& before_run = "");

// `romharness gate`: exit 0 no regression, 1 regressions (a table on `out`).
// InputError for an unknown run or a missing history.
struct GateCommandOptions {
  std::string baseline;  // required
  std::string run = "latest";
  std::filesystem::path db = kDefaultHistoryPath;
  GateOptions limits;
};
int gate_command(const GateCommandOptions& options, std::ostream& out);

// `romharness report`: one of --compare A B, --list, --import FILE...
struct ReportCommandOptions {
  std::filesystem::path db = kDefaultHistoryPath;
  std::vector<std::string> compare;  // two RUNs, or empty
  bool list = false;
  std::vector<std::string> import;  // results.json files, or empty
  // Shard report directories (each with results.json) merged into `out`:
  // results.json, junit.xml, index.html, and one run in the history.
  std::vector<std::filesystem::path> merge;
  std::filesystem::path out;
};
int report_command(const ReportCommandOptions& options, std::ostream& out);

}  // namespace rh
