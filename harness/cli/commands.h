// One function per command group, each adding its subcommands to the App
// (run_options.cc, report_options.cc, ...). app.cc calls them all.
#pragma once

#include <CLI/CLI.hpp>

#include "harness/cli/app.h"

namespace rh {

// The options `run` and `repro` share, stored in `o`.
void add_run_options(CLI::App& command, RunOptions& o);

// --backend and what the backends read (--accel, --connect, --lab, ...).
void add_backend_options(CLI::App& command, std::string& backend, BackendOptions& options);

void add_run_commands(CLI::App& app, CliOptions& o);     // run, list, repro
void add_report_commands(CLI::App& app, CliOptions& o);  // gate, report
void add_rom_commands(CLI::App& app, CliOptions& o);     // inspect, build
void add_field_commands(CLI::App& app, CliOptions& o);   // import-vmx, import-tf, ipxe-error
void add_serve_command(CLI::App& app, CliOptions& o);    // serve
void add_lab_commands(CLI::App& app, CliOptions& o);     // lab sweep
void add_bisect_command(CLI::App& app, CliOptions& o);   // bisect
void add_completion_command(CLI::App& app, CliOptions& o);

// Every command's help ends with its examples.
CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& summary,
                      const std::string& description, const std::string& footer);

}  // namespace rh
