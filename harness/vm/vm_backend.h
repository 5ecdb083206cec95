// The one interface every VM backend implements (QEMU process, libvirt,
// vSphere lab). Kept small on purpose, like labgrid's power protocol: start a
// VM from a backend-neutral description, watch its console, stop it.
// Optional abilities are capability flags; a scenario that needs one the
// backend lacks is UNSUPPORTED with the backend's reason.
//
//   std::unique_ptr<Vm> vm = backend.start(config);   // throws SetupError
//   vm->serial().wait_for_more(n, deadline);
//   ExitStatus st = vm->stop();
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/process.h"
#include "harness/scenario/scenario.h"
#include "harness/vm/serial_log.h"

namespace rh {

struct VmConfig {
  std::string name;
  std::string nic_model;  // scenario NIC name (see nic_models())
  Firmware firmware = Firmware::kBios;
  std::string machine = "pc";
  int memory_mb = 256;
  int cpus = 1;
  std::filesystem::path rom;         // option ROM on the NIC; empty: none
  std::optional<long long> romsize;  // plays the part of ethernetN.opromsize
  NetworkMode network = NetworkMode::kDhcp;
  StaticNet static_net;                          // for kStatic
  std::string bootfile_url;                      // for kDhcp: DHCP boot file
  std::map<std::string, std::string> guestinfo;  // keys without "guestinfo."
  bool firmware_serial_console = true;
  // QEMU's user network forwards the guest's DNS queries to the nameserver in
  // /etc/resolv.conf; when set, QEMU sees this file there instead (a private
  // mount namespace; needs root). Empty: the host's.
  std::filesystem::path resolv_conf;  // SeaBIOS sercon; off when the ROM prints to serial
  std::filesystem::path kernel;       // direct boot (probe guest, payload)
  std::filesystem::path initrd;
  std::string append;
  std::filesystem::path artifacts_dir;  // serial.log, qemu.argv, qemu.stderr, capture.pcap ...
};

enum class Capability { kGuestRpc, kEfi, kKvm, kLab };

class Vm {
 public:
  virtual ~Vm() = default;
  virtual std::chrono::steady_clock::time_point started_at() const = 0;
  virtual SerialLog& serial() = 0;
  // Empty while running; a description ("exit status 0", "killed by signal 9")
  // once the VM is gone.
  virtual std::optional<std::string> exited() = 0;
  // Graceful stop (ask, wait, terminate, kill), then reap. Idempotent.
  virtual std::string stop() = 0;
  // Backend-specific logs written so far, name -> path (guestrpc.log, ...).
  virtual std::map<std::string, std::filesystem::path> artifacts() const = 0;
};

class VmBackend {
 public:
  virtual ~VmBackend() = default;
  virtual std::string name() const = 0;
  virtual std::string accel() const = 0;
  // Empty when the backend has the capability, else the reason it does not.
  virtual std::optional<std::string> lacks(Capability cap) const = 0;
  virtual std::unique_ptr<Vm> start(const VmConfig& config) = 0;
};

}  // namespace rh
