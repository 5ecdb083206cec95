// The libvirt domain XML for one scenario's VM, from a DomainSpec that holds
// every path as QEMU's host sees it: a pure function, so the XML we hand to
// virDomainCreateXML is checked against golden files (testdata/*.xml, as the
// QEMU backend's argv is) and kept with the scenario's artifacts.
//
//   DomainSpec spec{.name = "romharness_ci_4123_99_1_smoke.dhcp", .emulator = "/var/lib/...",
//                   .nic_model = "vmxnet3", .rom = "/var/lib/libvirt/romharness/x/rom"};
//   std::string xml = build_domain_xml(spec);
//
// What libvirt's schema cannot say goes through <qemu:commandline> and
// <qemu:override> (the domain is then tainted "custom-argv", which is only
// a note in libvirt's log): SeaBIOS's etc/sercon-port (fwcfg entries must be
// under opt/), the ROM BAR size, the GuestRPC log, fw_cfg file slots, the
// capture, the VMware CPU vendor, and a user network with a router, DNS
// address or DHCP boot file of its own (libvirt's <interface type='user'>
// sets only the subnet; slirp then puts the router at .2 and DNS at .3).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/vm_terms.h"
#include "harness/vm/boot_plan.h"

namespace rh {

// A fw_cfg file the guest reads; the name must start with "opt/".
struct FwCfgFile {
  std::string name;
  std::filesystem::path file;
};

// QEMU's user-mode network (slirp) as the guest should see it.
struct DomainNetwork {
  NetworkMode mode = NetworkMode::kDhcp;
  std::string subnet;    // "10.0.0.0/24"; empty: slirp's 10.0.2.0/24
  std::string host;      // the router (reaches the QEMU host); empty: subnet .2
  std::string dns;       // empty: subnet .3
  std::string bootfile;  // offered by slirp's DHCP server; empty: none
};

// One VM; every path is where QEMU's host has the file.
struct DomainSpec {
  std::string name;
  std::string metadata_xml;   // one element in our namespace (domain_owner.h); empty: none
  std::string type = "qemu";  // "qemu" (TCG) or "kvm"
  std::string machine = "pc";
  int memory_mb = 256;
  int cpus = 1;
  std::filesystem::path emulator;
  Firmware firmware = Firmware::kBios;
  std::filesystem::path efi_loader;  // read-only OVMF image (-bios), for kEfi

  std::string nic_model;  // QEMU's device name: vmxnet3, e1000, e1000-82545em, e1000e
  std::string mac = kDefaultMac;
  std::filesystem::path rom;         // empty: no NIC ROM (and no NIC without a network)
  std::optional<long long> romsize;  // the ROM BAR, like .vmx opromsize
  bool link_down = false;            // the NIC's link starts down
  DomainNetwork network;

  std::vector<FwCfgFile> fw_cfg;           // guestinfo
  std::filesystem::path sercon_port_file;  // empty: SeaBIOS keeps its text off serial
  bool vmware_cpu_vendor = false;          // CPUID says VMwareVMware (guest tools)
  std::filesystem::path guestrpc_log;      // empty: none
  std::filesystem::path capture;           // empty: none
  std::optional<int> fw_cfg_slots;         // fw_cfg_io.x-file-slots

  std::filesystem::path kernel;  // direct boot
  std::filesystem::path initrd;
  std::string append;
};

// The alias libvirt gives our NIC and the netdev id QEMU sees for it.
inline constexpr const char* kNicAlias = "ua-net0";
inline constexpr const char* kLibvirtNetdev = "hostua-net0";
inline constexpr const char* kOwnNetdev = "rhnet0";

// True when libvirt's own <interface type='user'> gives `net` as it is;
// otherwise the netdev is ours (<qemu:commandline>) and the NIC points at it.
bool libvirt_user_network_fits(const DomainNetwork& net);

// Throws InputError for a subnet, host or DNS address that is not IPv4.
std::string build_domain_xml(const DomainSpec& spec);

// Escapes &, <, >, ' and " for an XML attribute or text.
std::string xml_escape(const std::string& text);

}  // namespace rh
