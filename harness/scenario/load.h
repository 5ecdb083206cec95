// Loading scenario files: find them, parse, validate, expand the matrix.
// Every error is an InputError that names file:line:column, the key and the
// value, raised before anything is booted.
//
//   auto scenarios = load_scenarios({"scenarios/smoke", "extra.yaml"});
//   auto picked = filter_scenarios(scenarios, "smoke/*/vmxnet3-*");
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/scenario/scenario.h"

namespace rh {

// Files named directly, plus every *.yaml / *.yml below named directories,
// in sorted order.
std::vector<std::filesystem::path> find_scenario_files(
    const std::vector<std::filesystem::path>& paths);

// What a run adds to the checks a file gets on its own.
struct LoadOptions {
  // The whole run's time limit (CLI --run-timeout); a scenario allowed
  // longer is an error. Unset: no limit.
  std::optional<std::chrono::milliseconds> run_timeout;
};

// One file -> its matrix rows. Relative paths in it resolve from its folder.
std::vector<Scenario> load_scenario_file(const std::filesystem::path& file,
                                         const LoadOptions& options = {});

// The same for text already read; `file` names it in messages and its
// folder resolves relative paths (the file itself is not read).
std::vector<Scenario> load_scenario_text(const std::string& text, const std::filesystem::path& file,
                                         const LoadOptions& options = {});

// All files; also rejects two scenarios with the same expanded name.
std::vector<Scenario> load_scenarios(const std::vector<std::filesystem::path>& paths,
                                     const LoadOptions& options = {});

// Scenarios whose name matches a shell glob (fnmatch); empty glob keeps all.
std::vector<Scenario> filter_scenarios(const std::vector<Scenario>& all, const std::string& glob);

}  // namespace rh
