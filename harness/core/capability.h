// The one table of what a scenario can require and who provides it. The
// scenario loader checks `requires:` names against it, backends answer
// lacks(Capability) for the ones they provide, and the runner asks the right
// provider for each (lit's REQUIRES / UNSUPPORTED).
//
//   const CapabilityInfo* c = find_capability("guestrpc");
//   c->provider;   // CapabilityProvider::kBackend
//   c->summary;    // "VMware's GuestRPC channel (guestinfo reads, log calls)"
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rh {

enum class Capability {
  kGuestRpc,         // guestinfo reaches the guest over the backdoor; guest tools work
  kEfi,              // UEFI firmware
  kKvm,              // hardware acceleration
  kLab,              // a real VMware hypervisor
  kIpxeSrc,          // an iPXE tree to build ROM variants from (the run provides it)
  kPacketCapture,    // a capture of the guest NIC's traffic (no-DHCP proof)
  kGuestRpcLog,      // the guest's GuestRPC calls, timed (vmware.log on ESXi)
  kDnsNames,         // the guest's DNS server answers names the scenario declares
  kFirmwareConsole,  // the firmware copies the screen (ROM text) to the serial port
  kLinkControl,      // the NIC's link can be set down and up during a boot
  kGuestExecution,   // a guest really runs (a simulator runs none)
};

enum class CapabilityProvider { kBackend, kRun };

struct CapabilityInfo {
  Capability capability;
  std::string_view name;  // as written in `requires:`
  CapabilityProvider provider;
  bool requirable;           // may appear in `requires:` (others are implied by a scenario)
  std::string_view summary;  // for messages and --help
};

const std::vector<CapabilityInfo>& capability_table();
const CapabilityInfo* find_capability(std::string_view name);  // nullptr when unknown
const CapabilityInfo& capability_info(Capability c);
// The names that may appear in `requires:`, comma-separated, for messages.
std::string requirable_capability_names();

}  // namespace rh
