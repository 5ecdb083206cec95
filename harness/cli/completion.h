// Bash completion written from the App's own definitions, so it never lists
// an option the parser does not know: `romharness completion bash`.
//
//   source <(romharness completion bash)
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace rh {

// A bash script completing subcommand names (two levels: `lab sweep`) and
// each subcommand's option names.
std::string bash_completion(const CLI::App& app);

}  // namespace rh
