// From a scenario to the backend-neutral BootPlan, and the addresses a plan
// gets once its boot server listens: {{server}}, {{host}} and {{port}} as the
// guest sees them, in guestinfo values and the DHCP boot file.
//
//   BootPlan plan = plan_for(scenario, rom_file, artifacts_dir);
//   auto vars = boot_variables(where.guest_host, server.port());  // server, host, port
//   fill_addresses(plan, scenario, vars);
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "harness/scenario/scenario.h"
#include "harness/vm/boot_plan.h"

namespace rh {

BootPlan plan_for(const Scenario& s, const std::filesystem::path& rom,
                  const std::filesystem::path& artifacts_dir);

std::map<std::string, std::string> boot_variables(const std::string& guest_host, int port);

void fill_addresses(BootPlan& plan, const Scenario& s,
                    const std::map<std::string, std::string>& variables);

}  // namespace rh
