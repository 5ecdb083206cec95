// The one seam every VM backend sits behind (QEMU process, libvirt, vSphere
// lab, the scripted fake), kept small as labgrid's power protocol is. The
// runner knows only this file and boot_plan.h:
//
//   if (auto why = backend.check(plan)) -> UNSUPPORTED with *why
//   BootEndpoints where = backend.endpoints(plan);    // start the boot server there
//   std::unique_ptr<VmSession> vm = backend.start(plan, where);  // throws SetupError
//   vm->console().wait_for_more(n, deadline);
//   for (const VmEvent& e : vm->poll_events()) ...
//   vm->stop();
//   for (const Artifact& a : vm->artifacts()) ...
//
// Optional abilities are capabilities (core/capability.h): lacks() answers
// with the reason a backend cannot provide one.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/console/console_log.h"
#include "harness/core/capability.h"
#include "harness/evidence/boot_evidence.h"
#include "harness/vm/boot_plan.h"

namespace rh {

// A file a session leaves for the report, e.g. {"qemu.argv", ".../qemu.argv"}.
struct Artifact {
  std::string name;
  std::filesystem::path path;
};

// One booted VM, from start to stop.
class VmSession {
 public:
  virtual ~VmSession() = default;
  virtual std::chrono::steady_clock::time_point started_at() const = 0;
  virtual ConsoleLog& console() = 0;
  // Events since the last call, in order: power state, emulator errors, the
  // emulator's stderr lines, a lost host.
  virtual std::vector<VmEvent> poll_events() = 0;
  // GuestRPC calls since the last call, when the backend sees them.
  virtual std::vector<GuestRpcCall> poll_guestrpc() { return {}; }
  // Empty while running; how it ended ("exit status 0", "killed by signal 9",
  // "domain shut off") once the VM is gone.
  virtual std::optional<std::string> exited() = 0;
  // Graceful stop (ask, wait, force), then release everything. Idempotent.
  virtual std::string stop() = 0;
  // Sets the NIC's link (Capability::kLinkControl).
  virtual void set_link(bool up);
  // Where it ran, e.g. "qemu:///system on lab-3"; empty: this machine.
  virtual std::string host() const { return ""; }
  // The packet capture (after stop), or nullopt with capture_missing() saying why.
  virtual std::optional<std::filesystem::path> capture() const = 0;
  virtual std::string capture_missing() const { return ""; }
  // Set when no guest really runs (a simulator): the boot part is UNSUPPORTED.
  virtual std::optional<std::string> no_guest() const { return std::nullopt; }
  // Files kept for the report (after stop).
  virtual std::vector<Artifact> artifacts() const = 0;
};

class VmBackend {
 public:
  virtual ~VmBackend() = default;
  virtual std::string name() const = 0;      // "qemu", "libvirt", "vsphere", "fake"
  virtual std::string describe() const = 0;  // one line for the run's header
  virtual std::string accel() const = 0;     // "tcg", "kvm", "esxi", ...
  // Empty when the backend has the capability, else the reason it does not.
  virtual std::optional<std::string> lacks(Capability cap) const = 0;
  // Empty when the backend can boot the plan, else why not (its own limits:
  // machine types, guestinfo sizes, firmware keys...).
  virtual std::optional<std::string> check(const BootPlan& plan) const = 0;
  // Where this plan's VM will reach the boot server (and DNS responder);
  // the runner starts them there, then fills the plan's addresses.
  virtual BootEndpoints endpoints(const BootPlan& plan) = 0;
  // Throws SetupError when the VM cannot be started.
  virtual std::unique_ptr<VmSession> start(const BootPlan& plan, const BootEndpoints& where) = 0;
  // Lines saying what the run did that a report must mention (a boot server
  // bound beyond loopback, TLS verification off, ...).
  virtual std::vector<std::string> notices() const { return {}; }
  // A command that boots the plan by hand, its console on the terminal
  // (romharness repro prints it); empty when the backend has none.
  virtual std::vector<std::string> manual_command(const BootPlan& plan,
                                                  const BootEndpoints& where) const {
    (void)plan;
    (void)where;
    return {};
  }
};

}  // namespace rh
