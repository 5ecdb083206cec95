#include "harness/cli/repro_command.h"

#include <sys/stat.h>

#include <fstream>

#include "harness/cli/args.h"
#include "harness/cli/run_command.h"
#include "harness/core/cache_root.h"
#include "harness/core/error.h"
#include "harness/core/process.h"
#include "harness/report/json_report.h"
#include "harness/runner/boot_plan_for.h"
#include "harness/scenario/load.h"
#include "harness/vm/registry.h"

namespace rh {
namespace fs = std::filesystem;

const char* const kReproHelp = R"(usage: romharness repro SCENARIO [--filter GLOB] [run options]

Reruns one scenario (a file that expands to one scenario, or --filter to pick
one row of its matrix) exactly as `romharness run` would, keeping every
artifact, then prints two commands that reproduce the boot by hand, without
romharness in the loop: the boot server (romharness serve) and a bare QEMU
command line with the serial console on the terminal. Both are also written
to repro.sh in the scenario's report directory.

example:
  romharness repro scenarios/field/kernel-404.yaml
  romharness repro scenarios/smoke/dhcp-linux-bios.yaml --filter '*e1000e*'

Other options are those of `romharness run` (--rom, --accel, --report-dir ...).
)";

namespace {

constexpr int kReproPort = 8080;

const Scenario& only_scenario(const std::vector<Scenario>& all) {
  if (all.size() == 1) return all.front();
  std::string names;
  for (const auto& s : all) names += "\n  " + s.name;
  throw InputError("repro needs exactly one scenario, these match (narrow with --filter):" + names);
}

std::vector<std::string> serve_argv(const Scenario& s, const fs::path& dir, const fs::path& payload,
                                    const std::map<std::string, std::string>& variables) {
  std::vector<std::string> argv{"romharness", "serve", (dir / "www").string(), "--port",
                                std::to_string(kReproPort)};
  for (const auto& [name, value] : variables)
    argv.insert(argv.end(), {"--var", name + "=" + value});
  if (!s.payload.script.empty())
    argv.insert(argv.end(), {"--file", "/boot.ipxe=" + fs::absolute(s.payload.script).string()});
  if (s.payload.linux_payload) {
    const fs::path kernel = payload / payload_kernel_file(s.payload.linux_kernel);
    argv.insert(argv.end(), {"--file", "/vmlinuz=" + kernel.string()});
    argv.insert(argv.end(), {"--file", "/initrd.img=" + (payload / "initrd.img").string()});
  }
  for (const auto& [url, file] : s.payload.files)
    argv.insert(argv.end(), {"--file", url + "=" + fs::absolute(file).string()});
  if (!s.http_faults.empty())
    argv.insert(argv.end(), {"--fault-file", fs::absolute(s.file).string()});
  return argv;
}

std::string repro_script(const std::vector<std::string>& serve,
                         const std::vector<std::string>& qemu) {
  return "#!/bin/sh\n"
         "# Reproduces this scenario by hand. Run the boot server in one terminal:\n" +
         shell_quote(serve) +
         " &\n"
         "# and the VM in this one (serial console here; Ctrl-A X quits QEMU):\n" +
         shell_quote(qemu) + "\n";
}

}  // namespace

int repro_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const int status = run_command(args, out, err);
  // Rebuild what the run booted, with a fixed port and the console on stdio.
  Args a(args);
  const std::string filter = a.string_flag({"--filter"}, "");
  const fs::path report_root = a.string_flag({"--report-dir"}, "reports");
  const std::string qemu = a.string_flag({"--qemu"}, "");
  const std::string backend_name = a.string_flag({"--backend"}, "qemu");
  (void)a.string_flag({"--accel"}, "");
  const fs::path payload =
      a.string_flag({"--payload"}, (cache_root() / "payload" / "current").string());
  std::vector<std::string> rest;
  for (const auto& p : a.positionals()) rest.push_back(p);
  (void)a.values_flag({"--rom"});
  const std::vector<fs::path> paths(rest.begin(), rest.end());
  const std::vector<Scenario> selected = filter_scenarios(load_scenarios(paths), filter);
  const Scenario& s = only_scenario(selected);
  const fs::path dir = fs::canonical(report_root / "latest") / s.name;
  // The ROM the run really booted (a built variant, a damaged copy...).
  std::string rom_path = s.rom.file.string();
  for (const auto& r :
       read_json(fs::canonical(report_root / "latest") / "results.json").scenarios) {
    if (r.name == s.name && !r.rom.path.empty()) rom_path = r.rom.path;
  }
  // The accelerator does not matter for a command printed for later: no probe.
  const auto backend =
      make_backend(backend_name, {.accel = "tcg", .qemu = qemu, .work_dir = dir / ".repro"});
  BootPlan plan = plan_for(s, rom_path, dir);
  const BootEndpoints where = backend->endpoints(plan);
  const auto variables = boot_variables(where.guest_host, kReproPort);
  fill_addresses(plan, s, variables);
  const auto vm_argv = backend->manual_command(plan, where);
  if (vm_argv.empty()) {
    throw InputError("backend '" + backend_name + "' has no command to boot a VM by hand");
  }
  const std::string script = repro_script(serve_argv(s, dir, payload, variables), vm_argv);
  std::ofstream(dir / "repro.sh") << script;
  ::chmod((dir / "repro.sh").c_str(), 0755);
  out << "\nto reproduce " << s.name << " by hand (" << (dir / "repro.sh").string() << "):\n\n"
      << script;
  return status;
}

}  // namespace rh
