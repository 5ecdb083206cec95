#include "harness/cli/app.h"

#include <algorithm>

#include "harness/cli/commands.h"
#include "harness/cli/exit_codes.h"

namespace rh {
namespace {

const char* const kDescription =
    "End-to-end tests for iPXE network-boot ROMs as VMware vSphere VMs load them:\n"
    "scenario files -> ROMs -> boots in QEMU (with VMware's GuestInfo channel\n"
    "emulated) -> a verdict per scenario and JUnit/JSON reports.";

const char* const kExamples =
    "examples:\n"
    "  romharness run                       # boot scenarios/smoke, reports in reports/\n"
    "  romharness run scenarios -j 2        # every scenario, two boots at a time\n"
    "  romharness list scenarios            # check files without booting\n"
    "  romharness COMMAND --help            # options of one command\n"
    "  source <(romharness completion bash) # tab completion in bash";

bool is_command(CLI::App& app, const std::string& name) {
  const auto subs = app.get_subcommands([](CLI::App*) { return true; });
  return std::any_of(subs.begin(), subs.end(),
                     [&](const CLI::App* s) { return s->get_name() == name; });
}

}  // namespace

CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& summary,
                      const std::string& description, const std::string& footer) {
  CLI::App* command = app.add_subcommand(name, summary);
  command->footer(description + "\n\n" + footer);
  return command;
}

std::unique_ptr<CLI::App> build_app(CliOptions& options) {
  auto app = std::make_unique<CLI::App>(kDescription, "romharness");
  app->footer(kExamples);
  app->require_subcommand(0, 1);
  app->get_formatter()->column_width(30);
  add_run_commands(*app, options);
  add_report_commands(*app, options);
  add_rom_commands(*app, options);
  add_field_commands(*app, options);
  add_serve_command(*app, options);
  add_lab_commands(*app, options);
  add_bisect_command(*app, options);
  add_completion_command(*app, options);
  return app;
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CliOptions options;
  const auto app = build_app(options);
  if (args.empty()) {
    out << app->help();
    return kExitUsage;
  }
  if (args[0] == "help") return run_cli({"--help"}, out, err);
  if (!args[0].starts_with("-") && !is_command(*app, args[0])) {
    return unknown_command(*app, args[0], err);
  }
  options.run.command_line = {"romharness"};
  options.run.command_line.insert(options.run.command_line.end(), args.begin(), args.end());
  options.repro.command_line = options.run.command_line;
  return exit_code_of(
      *app,
      [&] {
        std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11's order
        app->parse(reversed);
        if (!options.command) {
          out << app->help();
          return kExitUsage;
        }
        return options.command(out, err);
      },
      out, err);
}

}  // namespace rh
