#include "harness/cli/repro_command.h"

#include <sys/stat.h>

#include <fstream>

#include "harness/core/error.h"
#include "harness/core/process.h"
#include "harness/report/json_report.h"
#include "harness/runner/boot_plan_for.h"
#include "harness/scenario/load.h"
#include "harness/vm/registry.h"

namespace rh {
namespace fs = std::filesystem;

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

int repro_command(const RunOptions& o, std::ostream& out, std::ostream& err) {
  // Fails before booting anything when the files hold more than one scenario.
  const Scenario s = only_scenario(filter_scenarios(load_scenarios(o.paths), o.filter));
  const int status = run_command(o, out, err);
  // Rebuild what the run booted, with a fixed port and the console on stdio.
  const fs::path& report_root = o.report_root;
  const fs::path dir = fs::canonical(report_root / "latest") / s.name;
  // The ROM the run really booted (a built variant, a damaged copy...).
  std::string rom_path = s.rom.file.string();
  for (const auto& r :
       read_json(fs::canonical(report_root / "latest") / "results.json").scenarios) {
    if (r.name == s.name && !r.rom.path.empty()) rom_path = r.rom.path;
  }
  // The accelerator does not matter for a command printed for later: no probe.
  BackendOptions backend_options = o.backend_options;
  backend_options.accel = "tcg";
  backend_options.work_dir = dir / ".repro";
  const auto backend = make_backend(o.backend, backend_options);
  BootPlan plan = plan_for(s, rom_path, dir);
  const BootEndpoints where = backend->endpoints(plan);
  const auto variables = boot_variables(where.guest_host, kReproPort);
  fill_addresses(plan, s, variables);
  const auto vm_argv = backend->manual_command(plan, where);
  if (vm_argv.empty()) {
    throw InputError("backend '" + o.backend + "' has no command to boot a VM by hand");
  }
  const std::string script = repro_script(serve_argv(s, dir, o.payload, variables), vm_argv);
  std::ofstream(dir / "repro.sh") << script;
  ::chmod((dir / "repro.sh").c_str(), 0755);
  out << "\nto reproduce " << s.name << " by hand (" << (dir / "repro.sh").string() << "):\n\n"
      << script;
  return status;
}

}  // namespace rh
