// `romharness gate` and `romharness report` on the command line.
#include "harness/cli/commands.h"

namespace rh {
namespace {

const char* const kGateText =
    "Compares a run with a baseline run and exits 1 with a table of what regressed:\n"
    "a ROM grew by more than --max-rom-growth bytes or passed its budget, a\n"
    "scenario that did not fail in the baseline fails now, or a phase median grew\n"
    "by more than --max-phase-regression percent AND the baseline's spread AND\n"
    "--min-phase-delta ms. A RUN is a run id, latest, latest-pass (the newest\n"
    "passing run older than the gated one) or a results.json (or its directory).";

const char* const kGateExamples =
    "examples:\n"
    "  romharness gate --baseline latest-pass\n"
    "  romharness gate --baseline reports/r1 --run reports/r2 --max-rom-growth=512\n\n"
    "exit status: 0 no regression, 1 regressions, 2 bad arguments or an unknown run.";

const char* const kReportText =
    "Compares two runs side by side (verdicts, ROM sizes, phase medians), lists the\n"
    "runs in the history, imports results.json files into it, or merges the shards of\n"
    "one run (run --shard I/N, each with its own report directory) into one report.";

const char* const kReportExamples =
    "examples:\n"
    "  romharness report --compare latest-pass latest\n"
    "  romharness report --list --db reports/history.sqlite\n"
    "  romharness report --import reports/*/results.json\n"
    "  romharness report --merge shards/*/nightly-42 --out reports/nightly-42";

void add_db_option(CLI::App& c, std::filesystem::path& db) {
  c.add_option("--db", db, "SQLite run history")->type_name("PATH")->default_str(db.string());
}

void add_gate_command(CLI::App& app, CliOptions& o) {
  GateCommandOptions& g = o.gate;
  CLI::App* gate = add_command(app, "gate", "fail when a run regressed against a baseline run",
                               kGateText, kGateExamples);
  gate->add_option("--baseline", g.baseline, "the run to compare with (e.g. latest-pass)")
      ->type_name("RUN")
      ->required();
  gate->add_option("--run", g.run, "the run to gate")->type_name("RUN")->capture_default_str();
  add_db_option(*gate, g.db);
  gate->add_option("--max-rom-growth", g.limits.max_rom_growth_bytes, "bytes a ROM may grow")
      ->type_name("BYTES")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  gate->add_option("--max-phase-regression", g.limits.max_phase_regression_pct,
                   "percent a phase median may grow")
      ->type_name("PCT")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  gate->add_option("--min-phase-delta", g.limits.min_phase_delta_ms,
                   "ms a phase may always grow (single TCG boots jitter by tens of ms)")
      ->type_name("MS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  gate->final_callback([&o] {
    o.command = [&o](std::ostream& out, std::ostream&) { return gate_command(o.gate, out); };
  });
}

void add_report_command(CLI::App& app, CliOptions& o) {
  ReportCommandOptions& r = o.report;
  CLI::App* report = add_command(app, "report", "compare, list, import or merge runs", kReportText,
                                 kReportExamples);
  add_db_option(*report, r.db);
  auto* compare =
      report->add_option("--compare", r.compare, "two runs side by side")->type_name("A B");
  compare->expected(2);
  auto* list = report->add_flag("--list", r.list, "the runs in the history");
  auto* import =
      report->add_option("--import", r.import, "record results.json files")->type_name("FILE...");
  auto* merge = report->add_option("--merge", r.merge, "shard report directories to merge into one")
                    ->type_name("DIR...");
  report->add_option("--out", r.out, "with --merge: the merged report's directory")
      ->type_name("DIR");
  compare->excludes(list)->excludes(import)->excludes(merge);
  list->excludes(import)->excludes(merge);
  import->excludes(merge);
  report->final_callback([&o] {
    o.command = [&o](std::ostream& out, std::ostream&) { return report_command(o.report, out); };
  });
}

}  // namespace

void add_report_commands(CLI::App& app, CliOptions& o) {
  add_gate_command(app, o);
  add_report_command(app, o);
}

}  // namespace rh
