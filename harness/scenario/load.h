// Loading scenario files: find them, parse, validate, expand the matrix.
// Every error is an InputError that names file:line:column, the key and the
// value, raised before anything is booted.
//
//   auto scenarios = load_scenarios({"scenarios/smoke", "extra.yaml"});
//   auto picked = filter_scenarios(scenarios, "smoke/*/vmxnet3-*");
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "harness/scenario/scenario.h"

namespace rh {

// Files named directly, plus every *.yaml / *.yml below named directories,
// in sorted order.
std::vector<std::filesystem::path> find_scenario_files(
    const std::vector<std::filesystem::path>& paths);

// One file -> its matrix rows.
std::vector<Scenario> load_scenario_file(const std::filesystem::path& file);

// All files; also rejects two scenarios with the same expanded name.
std::vector<Scenario> load_scenarios(const std::vector<std::filesystem::path>& paths);

// Scenarios whose name matches a shell glob (fnmatch); empty glob keeps all.
std::vector<Scenario> filter_scenarios(const std::vector<Scenario>& all, const std::string& glob);

}  // namespace rh
