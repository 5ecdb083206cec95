// Runs one scenario from requirements to verdict. Never throws: any
// exception becomes UNRESOLVED with its message (lit's worker.py), and the VM
// and boot server are always stopped, keeping the scenario's own error over a
// cleanup error.
//
//   ScenarioResult r = run_scenario(scenario, context);
#pragma once

#include <filesystem>
#include <string>

#include "harness/core/result.h"
#include "harness/runner/run_context.h"
#include "harness/scenario/scenario.h"

namespace rh {

ScenarioResult run_scenario(const Scenario& scenario, const RunContext& context);

// The directory under the report dir that holds a scenario's artifacts.
std::filesystem::path artifacts_dir_for(const std::filesystem::path& report_dir,
                                        const std::string& scenario_name, int attempt = 0);

// A variant the user supplied as a file (--rom) boots like a file ROM.
Scenario with_rom_file(const Scenario& s, const RunContext& ctx);

}  // namespace rh
