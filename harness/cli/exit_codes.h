// The one place that turns what a command did or threw into an exit status
// and a message (every message starts "romharness: "):
//   0 success; 1 a command's own failure (a scenario failed, a gate regressed,
//   a ROM over budget); 2 usage error, InputError, SetupError ("set-up: ..."),
//   internal error; 130 a run interrupted by Ctrl-C or SIGTERM.
//
//   return exit_code_of(*app, [&] { app->parse(args); return options.command(out, err); },
//                       out, err);
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <ostream>

namespace rh {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailures = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInterrupted = 130;

// Runs `body` (parsing with `app` and running the command) and maps what it
// throws: --help prints help on `out` (0); a parse error names the command,
// suggests the nearest option for a typo, and exits 2; InputError,
// SetupError and any other exception exit 2 with their message on `err`.
int exit_code_of(CLI::App& app, const std::function<int()>& body, std::ostream& out,
                 std::ostream& err);

// "romharness: unknown command 'rnu' (did you mean 'run'? see romharness --help)"; exit 2.
int unknown_command(CLI::App& app, const std::string& name, std::ostream& err);

}  // namespace rh
