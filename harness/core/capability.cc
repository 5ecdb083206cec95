#include "harness/core/capability.h"

namespace rh {

const std::vector<CapabilityInfo>& capability_table() {
  using C = Capability;
  constexpr auto kBackend = CapabilityProvider::kBackend;
  static const std::vector<CapabilityInfo> table = {
      {C::kGuestRpc, "guestrpc", kBackend, true,
       "VMware's GuestRPC channel (guestinfo reads, log calls, guest tools)"},
      {C::kEfi, "efi", kBackend, true, "UEFI firmware"},
      {C::kKvm, "kvm", kBackend, true, "hardware-accelerated virtualisation"},
      {C::kLab, "lab", kBackend, true, "a real VMware ESXi / vCenter lab"},
      {C::kIpxeSrc, "ipxe-src", CapabilityProvider::kRun, true,
       "an iPXE tree to build ROM variants from (--ipxe-src)"},
      {C::kPacketCapture, "packet-capture", kBackend, true,
       "a packet capture of the guest NIC (proves a static boot sent no DHCP)"},
      {C::kGuestRpcLog, "guestrpc-log", kBackend, true,
       "a timed log of the guest's GuestRPC calls"},
      {C::kDnsNames, "dns-names", kBackend, false,
       "a DNS server for the guest that answers the scenario's dns_names"},
      {C::kFirmwareConsole, "firmware-console", kBackend, false,
       "firmware that copies the screen, and so the ROM's text, to the serial port"},
      {C::kLinkControl, "link-control", kBackend, true, "setting the NIC's link down and up"},
      {C::kGuestExecution, "guest", kBackend, false, "a guest that really runs"},
  };
  return table;
}

const CapabilityInfo* find_capability(std::string_view name) {
  for (const auto& info : capability_table()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

const CapabilityInfo& capability_info(Capability c) {
  for (const auto& info : capability_table()) {
    if (info.capability == c) return info;
  }
  return capability_table().front();  // unreachable: every enumerator has a row
}

std::string requirable_capability_names() {
  std::string out;
  for (const auto& info : capability_table()) {
    if (info.requirable) out += (out.empty() ? "" : ", ") + std::string(info.name);
  }
  return out;
}

}  // namespace rh
