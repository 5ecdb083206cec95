#include "harness/runner/boot_plan_for.h"

#include "harness/core/text.h"

namespace rh {

BootPlan plan_for(const Scenario& s, const std::filesystem::path& rom,
                  const std::filesystem::path& artifacts_dir) {
  BootPlan p{.name = s.name,
             .nic = s.nic,
             .mac = s.mac,
             .firmware = s.firmware,
             .machine = s.machine,
             .memory_mb = s.memory_mb,
             .cpus = s.cpus,
             .rom = rom,
             .romsize = s.rom.opromsize,
             .guestinfo = s.guestinfo,
             .console = s.console,
             .artifacts_dir = artifacts_dir};
  p.network.mode = s.network;
  if (s.network == NetworkMode::kStatic) {
    p.network.subnet = s.static_net.subnet;
    p.network.gateway = s.static_net.gateway;
    p.network.dns = s.static_net.dns;
  }
  p.network.dns_names = s.dns_names;
  return p;
}

std::map<std::string, std::string> boot_variables(const std::string& guest_host, int port) {
  const std::string server = guest_host + ":" + std::to_string(port);
  return {{"server", server}, {"host", guest_host}, {"port", std::to_string(port)}};
}

void fill_addresses(BootPlan& plan, const Scenario& s,
                    const std::map<std::string, std::string>& variables) {
  const auto server = variables.find("server");
  if (server != variables.end()) plan.boot_server = server->second;
  if (s.network == NetworkMode::kDhcp && !s.payload.script.empty() && server != variables.end()) {
    plan.network.boot_url = "http://" + server->second + "/boot.ipxe";
  }
  for (auto& [key, value] : plan.guestinfo) {
    for (const auto& [name, v] : variables) value = replace_all(value, "{{" + name + "}}", v);
  }
}

}  // namespace rh
