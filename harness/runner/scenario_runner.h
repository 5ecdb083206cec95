// Runs one scenario from requirements to verdict. Never throws: any
// exception becomes UNRESOLVED with its message (lit's worker.py), and the VM
// and boot server are always stopped, keeping the scenario's own error over a
// cleanup error.
//
//   ScenarioResult r = run_scenario(scenario, context);
#pragma once

#include "harness/core/result.h"
#include "harness/runner/run_context.h"
#include "harness/scenario/scenario.h"
#include "harness/vm/vm_backend.h"

namespace rh {

// Where the guest finds the boot server, and the {{server}}, {{host}} and
// {{port}} values for templates and guestinfo.
struct BootAddresses {
  std::string server;  // "10.0.2.2:40123" as the guest sees it
  std::map<std::string, std::string> variables;
};
BootAddresses boot_addresses(const Scenario& s, int port);

struct VmPlacement {
  std::filesystem::path rom;  // the ROM actually booted (built variant, damaged copy)
  std::filesystem::path artifacts_dir;
  std::map<std::string, std::string> variables;
};
// The backend-neutral VM a scenario describes.
VmConfig vm_config_for(const Scenario& s, const VmPlacement& where);

ScenarioResult run_scenario(const Scenario& scenario, const RunContext& context);

// The directory under the report dir that holds a scenario's artifacts.
std::filesystem::path artifacts_dir_for(const std::filesystem::path& report_dir,
                                        const std::string& scenario_name, int attempt = 0);

}  // namespace rh
