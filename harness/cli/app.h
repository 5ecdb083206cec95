// The romharness command line: one CLI11 App with every subcommand, built
// over a CliOptions that parsing fills in, so a command line can be parsed
// (and tested) without running anything.
//
//   CliOptions options;
//   auto app = build_app(options);
//   app->parse(std::vector<std::string>{"-j2", "scenarios", "run"});  // CLI11 wants them reversed
//   options.run.jobs;          // 2
//   options.command(out, err); // runs `romharness run`
//
//   int status = run_cli({"run", "scenarios", "-j2"}, std::cout, std::cerr);  // what main() does
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "harness/bisect/bisect.h"
#include "harness/bootserver/serve_command.h"
#include "harness/cli/run_command.h"
#include "harness/field/import.h"
#include "harness/report/gate.h"
#include "harness/rom/build_command.h"
#include "harness/rom/inspect.h"

namespace rh {

struct LabSweepOptions {
  std::filesystem::path lab_file;
};

struct CliOptions {
  RunOptions run;
  ListOptions list;
  RunOptions repro;
  GateCommandOptions gate;
  ReportCommandOptions report;
  InspectOptions inspect;
  BuildOptions build;
  ImportCommandOptions import_vmx;
  ImportCommandOptions import_tf;
  std::vector<std::string> ipxe_error_codes;
  ServeOptions serve;
  LabSweepOptions lab_sweep;
  BisectOptions bisect;
  std::filesystem::path bisect_report_root = "reports";
  std::string completion_shell;
  // Set by the subcommand the command line chose, once its options are read.
  std::function<int(std::ostream& out, std::ostream& err)> command;
};

// `options` must outlive the App.
std::unique_ptr<CLI::App> build_app(CliOptions& options);

// Parses `args` (without the program name), runs the command and returns
// the exit status (see exit_codes.h). No arguments: help and exit 2.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace rh
