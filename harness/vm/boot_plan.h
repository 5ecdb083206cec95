// What to boot, said without naming any hypervisor: the runner turns a
// scenario into a BootPlan and every backend (QEMU, libvirt, vSphere, the
// fake) boots that. A backend checks a plan against its own limits
// (VmBackend::check) rather than the scenario loader knowing them.
//
//   BootPlan plan{.name = "smoke/dhcp-linux/e1000-bios", .nic = "e1000",
//                 .firmware = Firmware::kBios, .rom = "/usr/lib/ipxe/qemu/pxe-e1000.rom"};
//   plan.network.mode = NetworkMode::kDhcp;
//   plan.network.boot_url = "http://10.0.2.2:40123/boot.ipxe";
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/vm_terms.h"

namespace rh {

// The network the VM's NIC sits on, as it really is (which a deliberately
// wrong guestinfo may disagree with).
struct NetworkPlan {
  NetworkMode mode = NetworkMode::kDhcp;
  std::string subnet;   // static: "10.0.0.0/24"
  std::string gateway;  // static: the router; it also reaches the boot server
  std::string dns;      // static: the DNS server's address on that network
  // dhcp: the boot file the network's DHCP server offers; empty: none.
  std::string boot_url;
  // Names the guest's DNS server must answer with the boot server's address.
  std::vector<std::string> dns_names;
};

// A kernel booted directly, without a ROM (the emulator's probe guest).
struct DirectKernel {
  std::filesystem::path kernel;
  std::filesystem::path initrd;
  std::string append;
};

// The NIC's MAC when a scenario names none, the same on every backend
// (keeps captures and golden files stable).
inline constexpr const char* kDefaultMac = "52:54:00:12:34:56";
inline constexpr std::size_t kSerconColumns = 80;

struct BootPlan {
  std::string name;  // the scenario's name, for the VM's name
  std::string nic;   // a name from core/nic.h
  std::string mac;   // the NIC's MAC; empty: kDefaultMac
  Firmware firmware = Firmware::kBios;
  std::string machine;  // chipset the scenario asks for; empty: default
  int memory_mb = 256;
  int cpus = 1;
  std::filesystem::path rom;                     // option ROM on the NIC; empty: none
  std::optional<long long> romsize;              // the ROM BAR the NIC exposes (.vmx opromsize)
  std::map<std::string, std::string> guestinfo;  // keys without "guestinfo.", filled
  NetworkPlan network;
  // "host:port" at which the guest reaches the boot server (filled by the
  // runner once the server listens; the same as {{server}}).
  std::string boot_server;
  ConsoleSource console = ConsoleSource::kFirmware;
  // The NIC's link is down at power-on and comes up after this long; unset:
  // up from the start.
  std::optional<std::chrono::milliseconds> link_up_after;
  DirectKernel direct;
  std::filesystem::path artifacts_dir;  // where the backend writes what it keeps

  std::string nic_mac() const { return mac.empty() ? kDefaultMac : mac; }
  // SeaBIOS's sercon copies the BIOS text screen (iPXE's console under BIOS)
  // to the serial port; every backend turns it on for this plan.
  bool uses_sercon() const {
    return firmware == Firmware::kBios && console == ConsoleSource::kFirmware;
  }
  // The screen is 80x25, so sercon breaks a long line at column 80 and the
  // console decoder must join it again, whichever backend carries the bytes.
  std::size_t console_wrap_columns() const { return uses_sercon() ? kSerconColumns : 0; }
};

// Where the guest finds the boot server and its DNS responder, decided by
// the backend before the VM starts (the addresses go into guestinfo and the
// DHCP boot file).
struct BootEndpoints {
  std::string server_bind = "127.0.0.1";  // the address the boot server listens on
  std::string guest_host;                 // the address the guest reaches it at
  // The address (port 53) a DNS responder for plan.network.dns_names must
  // listen on; empty when the plan has none.
  std::string dns_bind;
  bool bind_is_loopback() const;
};

}  // namespace rh
