// What a guest wrote to vmware.log: iPXE's CONSOLE_VMWARE sends its console
// as GuestRPC `log <text>` calls, which ESXi writes to the VM's vmware.log
// as "... Guest: <text>" lines (after a timestamp and thread prefix).
//
//   guest_log_lines("2024-01-10T10:00:00.123Z In(05) vcpu-0 - Guest: iPXE 1.21\n");
//   // {"iPXE 1.21"}
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rh::vsphere {

std::vector<std::string> guest_log_lines(std::string_view vmware_log);

}  // namespace rh::vsphere
