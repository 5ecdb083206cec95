// results.json: the machine-readable record of a run, and its reader (the
// history imports it, `report --compare` and `gate` accept it in place of a
// run id). Derived fields (summary, phase_stats) are written for readers and
// ignored on reading; everything else round-trips exactly.
//
//   write_json(run, dir / "results.json");
//   RunResult again = read_json(dir / "results.json");
//
// Format (schema_version 1):
//   {"schema_version": 1, "run_id", "started_at", "finished_at", "host",
//    "command_line": [..], "interrupted": false, "warnings": [..], "notices": [..],
//    "summary": {"PASS": 3, ..},
//    "scenarios": [{"name", "file", "verdict": "PASS", "reason", "stage_reached",
//      "failure": {"category", "ipxe_error", "ipxe_message"},
//      "rom": {"path", "variant", "size_bytes": int|null, "sha256",
//              "budget_bytes": int|null, "provenance": {..}},
//      "nic", "firmware", "accel", "backend", "host",
//      "stages": [{"name", "expectation", "at_ms": number|null}],
//      "phases": [{"name", "at_ms", "source"}], "missing_phases": [..],
//      "last_serial_lines": [..], "artifacts": {name: path}, "duration_ms",
//      "attempts", "retried": [{"attempt", "verdict", "reason", "host", "artifacts_dir",
//      "duration_ms"}], "phase_samples": {phase: [ms, ..]},
//      "phase_stats": {phase: {"count", "min", "median", "p95", "max"}}}]}
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/core/result.h"

namespace rh {

inline constexpr int kResultsSchemaVersion = 1;

nlohmann::json to_json(const ScenarioResult& s);
nlohmann::json to_json(const RunResult& run);
// dump_json(to_json(run)) without holding the whole run's tree at once.
std::string run_json_text(const RunResult& run);
// Throw InputError naming `where` and the offending key on a malformed document.
ScenarioResult scenario_from_json(const nlohmann::json& j, const std::string& where);
// As above, naming keys under `path` (e.g. "scenarios[2]") in messages.
ScenarioResult scenario_from_json_at(const nlohmann::json& j, const std::string& where,
                                     const std::string& path);
RunResult run_from_json(const nlohmann::json& j, const std::string& where);

// Invalid UTF-8 in serial lines is replaced (U+FFFD), never an exception.
std::string dump_json(const nlohmann::json& j, int indent = 2);

void write_json(const RunResult& run, const std::filesystem::path& path);
RunResult read_json(
    const std::filesystem::path& path);  // InputError: missing, malformed, newer schema

}  // namespace rh
